package dev.apikeys.runtime.problem;

import java.net.URI;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * A 400 naming the fields that are wrong, as {@code errors: [{field, message}]} in the problem: at
 * most {@value #MAX_LISTED} of them, so a request cannot make its answer as large as itself; past
 * that, {@code errors_not_listed} counts the rest.
 */
public class InvalidRequest extends ErrorResponseException {

    public static final URI TYPE = URI.create("/problems/invalid-request");
    public static final int MAX_LISTED = 100;

    public record FieldError(String field, String message) {
    }

    public InvalidRequest(List<FieldError> errors) {
        super(HttpStatus.BAD_REQUEST, problem(errors), null);
    }

    public InvalidRequest(String field, String message) {
        this(List.of(new FieldError(field, message)));
    }

    private static ProblemDetail problem(List<FieldError> errors) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                "The request has " + errors.size() + " invalid field" + (errors.size() == 1 ? "" : "s")
                        + (errors.size() > MAX_LISTED ? "; errors lists the first " + MAX_LISTED + "." : "."));
        problem.setType(TYPE);
        problem.setTitle("Invalid request");
        problem.setProperty("errors", List.copyOf(errors.subList(0, Math.min(errors.size(), MAX_LISTED))));
        if (errors.size() > MAX_LISTED) {
            problem.setProperty("errors_not_listed", errors.size() - MAX_LISTED);
        }
        return problem;
    }
}

package dev.apikeys.runtime.problem;

import java.net.URI;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * A 400 naming every field that is wrong, as {@code errors: [{field, message}]} in the problem.
 */
public class InvalidRequest extends ErrorResponseException {

    public static final URI TYPE = URI.create("/problems/invalid-request");

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
                "The request has " + errors.size() + " invalid field" + (errors.size() == 1 ? "" : "s") + ".");
        problem.setType(TYPE);
        problem.setTitle("Invalid request");
        problem.setProperty("errors", List.copyOf(errors));
        return problem;
    }
}

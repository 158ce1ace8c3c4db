package dev.apikeys.runtime.problem;

import java.net.URI;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** A request answered with a problem of its own type, as it is thrown. */
public class ProblemException extends ErrorResponseException {

    static final String RETRY_AFTER_SECONDS = "1";

    /** @param type the problem's type, {@code /problems/...} */
    public ProblemException(HttpStatus status, String type, String title, String detail) {
        super(status, problem(status, type, title, detail), null);
    }

    /** 503 with Retry-After: the service cannot give a correct answer right now. */
    public static ProblemException unavailable(String type, String detail) {
        ProblemException unavailable = new ProblemException(HttpStatus.SERVICE_UNAVAILABLE, type,
                "Service unavailable", detail);
        unavailable.getHeaders().set(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
        return unavailable;
    }

    static ProblemDetail problem(HttpStatus status, String type, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(type));
        problem.setTitle(title);
        return problem;
    }
}

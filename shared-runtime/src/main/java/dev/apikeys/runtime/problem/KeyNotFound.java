package dev.apikeys.runtime.problem;

import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * 404, word for word the same whether the key is unknown, someone else's or deleted. Both sides
 * answer it, so a client cannot tell from the body which side or which case it met.
 */
public class KeyNotFound extends ErrorResponseException {

    public KeyNotFound() {
        super(HttpStatus.NOT_FOUND, problem(), null);
    }

    private static ProblemDetail problem() {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
                "You have no API key with this id.");
        problem.setType(URI.create("/problems/api-key-not-found"));
        problem.setTitle("API key not found");
        return problem;
    }
}

package dev.apikeys.command.web;

import dev.apikeys.command.ApiKeyNotRotatable;
import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** 409: the key is the caller's, but disabled or expired, so it has nothing to hand over. */
class KeyNotRotatableProblem extends ErrorResponseException {

    KeyNotRotatableProblem(ApiKeyNotRotatable.Reason reason) {
        super(HttpStatus.CONFLICT, problem(reason), null);
    }

    private static ProblemDetail problem(ApiKeyNotRotatable.Reason reason) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, switch (reason) {
            case DISABLED -> "The API key is disabled. Enable it to rotate it.";
            case EXPIRED -> "The API key has expired. Create a new one instead.";
        });
        problem.setType(URI.create("/problems/api-key-not-rotatable"));
        problem.setTitle("API key cannot be rotated");
        return problem;
    }
}

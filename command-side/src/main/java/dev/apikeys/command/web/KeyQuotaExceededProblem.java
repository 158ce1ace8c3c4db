package dev.apikeys.command.web;

import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** 409: the caller already holds as many keys as they may. */
class KeyQuotaExceededProblem extends ErrorResponseException {

    KeyQuotaExceededProblem(int maxKeysPerUser) {
        super(HttpStatus.CONFLICT, problem(maxKeysPerUser), null);
    }

    private static ProblemDetail problem(int maxKeysPerUser) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT,
                "You already hold " + maxKeysPerUser + " API keys, the most allowed. Delete one to create another.");
        problem.setType(URI.create("/problems/api-key-quota-exceeded"));
        problem.setTitle("API key quota exceeded");
        return problem;
    }
}

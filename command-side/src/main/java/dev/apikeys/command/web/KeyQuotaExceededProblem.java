package dev.apikeys.command.web;

import dev.apikeys.runtime.problem.ProblemException;
import org.springframework.http.HttpStatus;

/** 409: the caller already holds as many keys as they may. */
class KeyQuotaExceededProblem extends ProblemException {

    KeyQuotaExceededProblem(int maxKeysPerUser) {
        super(HttpStatus.CONFLICT, "/problems/api-key-quota-exceeded", "API key quota exceeded",
                "You already hold " + maxKeysPerUser + " API keys, the most allowed. Delete one to create another.");
    }
}

package dev.apikeys.command.web;

import dev.apikeys.command.ApiKeyNotRotatable;
import dev.apikeys.runtime.problem.ProblemException;
import org.springframework.http.HttpStatus;

/** 409: the key is the caller's, but disabled or expired, so it has nothing to hand over. */
class KeyNotRotatableProblem extends ProblemException {

    KeyNotRotatableProblem(ApiKeyNotRotatable.Reason reason) {
        super(HttpStatus.CONFLICT, "/problems/api-key-not-rotatable", "API key cannot be rotated", switch (reason) {
            case DISABLED -> "The API key is disabled. Enable it to rotate it.";
            case EXPIRED -> "The API key has expired. Create a new one instead.";
        });
    }
}

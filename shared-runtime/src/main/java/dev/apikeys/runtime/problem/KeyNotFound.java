package dev.apikeys.runtime.problem;

import org.springframework.http.HttpStatus;

/**
 * 404, word for word the same whether the key is unknown, someone else's or deleted. Both sides
 * answer it, so a client cannot tell from the body which side or which case it met.
 */
public class KeyNotFound extends ProblemException {

    public KeyNotFound() {
        super(HttpStatus.NOT_FOUND, "/problems/api-key-not-found", "API key not found",
                "You have no API key with this id.");
    }
}

package dev.apikeys.command.web;

import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** 404, word for word the same whether the key is unknown, someone else's or deleted. */
class KeyNotFoundProblem extends ErrorResponseException {

    KeyNotFoundProblem() {
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

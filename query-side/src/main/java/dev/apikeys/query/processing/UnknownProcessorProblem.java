package dev.apikeys.query.processing;

import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** 404 for an operation on a processor this process does not run, or for an unknown operation. */
class UnknownProcessorProblem extends ErrorResponseException {

    private UnknownProcessorProblem(String detail) {
        super(HttpStatus.NOT_FOUND, problem(detail), null);
    }

    static UnknownProcessorProblem processor() {
        return new UnknownProcessorProblem(
                "There is no streaming event processor with this name; GET /actuator/projections lists them.");
    }

    static UnknownProcessorProblem operation() {
        return new UnknownProcessorProblem("The only operation on a processor is POST .../replay.");
    }

    private static ProblemDetail problem(String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, detail);
        problem.setType(URI.create("/problems/processor-not-found"));
        problem.setTitle("Processor not found");
        return problem;
    }
}

package dev.apikeys.query.operations;

import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * 409 when a replay cannot reset the tokens because another instance holds some of the
 * processor's segments: a reset must own every segment at once.
 */
class SegmentsClaimedElsewhereProblem extends ErrorResponseException {

    SegmentsClaimedElsewhereProblem() {
        super(HttpStatus.CONFLICT, problem(), null);
    }

    private static ProblemDetail problem() {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT,
                "processor segments are claimed by another instance; stop it there first");
        problem.setType(URI.create("/problems/processor-segments-claimed"));
        problem.setTitle("Processor segments claimed elsewhere");
        return problem;
    }
}

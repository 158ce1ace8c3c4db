package dev.apikeys.query.verify;

import java.net.URI;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * 503: the keys in memory could not be shown to reflect every write that answered before this
 * verification (the event store is unreachable, or they are still loading), so no answer is given
 * rather than a possibly stale VALID.
 */
class VerificationUnavailable extends ErrorResponseException {

    VerificationUnavailable() {
        super(HttpStatus.SERVICE_UNAVAILABLE, problem(), null);
        getHeaders().set(HttpHeaders.RETRY_AFTER, "1");
    }

    private static ProblemDetail problem() {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                "Verification cannot confirm it has seen the latest changes to keys; try again shortly.");
        problem.setType(URI.create("/problems/verification-unavailable"));
        problem.setTitle("Service unavailable");
        return problem;
    }
}

package dev.apikeys.query.processing;

import java.net.URI;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** 503: the read model has not caught up with the writes before this request within the bound. */
class ReadModelBehind extends ErrorResponseException {

    ReadModelBehind() {
        super(HttpStatus.SERVICE_UNAVAILABLE, problem(), null);
        getHeaders().set(HttpHeaders.RETRY_AFTER, "1");
    }

    private static ProblemDetail problem() {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                "The read model is catching up with recent writes; try again shortly.");
        problem.setType(URI.create("/problems/read-model-behind"));
        problem.setTitle("Service unavailable");
        return problem;
    }
}

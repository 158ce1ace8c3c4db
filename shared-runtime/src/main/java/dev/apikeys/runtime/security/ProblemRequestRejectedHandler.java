package dev.apikeys.runtime.security;

import dev.apikeys.runtime.problem.ServletProblemWriter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.stereotype.Component;

/**
 * A request the security firewall turns away (a method it does not take, an encoded slash or
 * dot, a header it will not pass on) is a 400 problem, written here. Sent to the error page
 * instead, the request met the firewall again on its way there and, for a method the firewall
 * does not take, was answered with an empty 400.
 */
@Component
class ProblemRequestRejectedHandler implements RequestRejectedHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemRequestRejectedHandler.class);

    private final ServletProblemWriter problemWriter;

    ProblemRequestRejectedHandler(ServletProblemWriter problemWriter) {
        this.problemWriter = problemWriter;
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response,
            RequestRejectedException exception) throws IOException {
        log.debug("Rejected a request: {}", exception.getMessage());
        response.setStatus(HttpStatus.BAD_REQUEST.value());
        problemWriter.write(response, ServletProblemWriter.REJECTED_DETAIL);
    }
}

package dev.apikeys.runtime.security;

import dev.apikeys.runtime.problem.ServletProblemWriter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.oauth2.server.resource.web.access.BearerTokenAccessDeniedHandler;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.stereotype.Component;

/** A 403 with {@code WWW-Authenticate: Bearer error="insufficient_scope"} and a problem body. */
@Component
class ProblemAccessDeniedHandler implements AccessDeniedHandler {

    private final BearerTokenAccessDeniedHandler bearer = new BearerTokenAccessDeniedHandler();
    private final ServletProblemWriter problemWriter;

    ProblemAccessDeniedHandler(ServletProblemWriter problemWriter) {
        this.problemWriter = problemWriter;
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response,
            AccessDeniedException exception) throws IOException {
        bearer.handle(request, response, exception);
        problemWriter.write(response, "The bearer token does not grant access to this resource.");
    }
}

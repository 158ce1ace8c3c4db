package dev.apikeys.runtime.security;

import dev.apikeys.runtime.problem.ServletProblemWriter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.stereotype.Component;

/**
 * A 401 as RFC 6750 wants it ({@code WWW-Authenticate: Bearer}, with the error parameters when a
 * token was presented) and as every error of this API (a problem body). The detail is fixed text:
 * it never echoes the token or what the decoder said about it.
 */
@Component
class ProblemAuthenticationEntryPoint implements AuthenticationEntryPoint {

    private final BearerTokenAuthenticationEntryPoint bearer = new BearerTokenAuthenticationEntryPoint();
    private final ServletProblemWriter problemWriter;

    ProblemAuthenticationEntryPoint(ServletProblemWriter problemWriter) {
        this.problemWriter = problemWriter;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response,
            AuthenticationException exception) throws IOException {
        bearer.commence(request, response, exception);
        problemWriter.write(response, detail(exception));
    }

    private static String detail(AuthenticationException exception) {
        if (exception instanceof InvalidBearerTokenException) {
            return "The bearer token is invalid or has expired.";
        }
        return "A valid bearer token is required.";
    }
}

package dev.apikeys.runtime.problem;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.boot.autoconfigure.security.SecurityProperties;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A Content-Type of {@code *}/{@code *} or {@code application/*} names no media type the body could
 * be read as: a 415 problem, as for any type the service does not read. Spring MVC would fail on it
 * with a 500 (its request headers refuse a wildcard Content-Type) wherever a handler takes a body.
 * Runs after the security filters, so a caller without a token still gets its 401.
 */
@Component
@Order(SecurityProperties.DEFAULT_FILTER_ORDER + 2)
class WildcardContentTypeFilter extends OncePerRequestFilter {

    private final ServletProblemWriter problemWriter;

    WildcardContentTypeFilter(ServletProblemWriter problemWriter) {
        this.problemWriter = problemWriter;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (isWildcard(request.getContentType())) {
            response.setHeader(HttpHeaders.ACCEPT, MediaType.APPLICATION_JSON_VALUE);
            problemWriter.write(response, unsupported());
            return;
        }
        chain.doFilter(request, response);
    }

    /** Word for word the 415 that Spring MVC's own refusal gets (ProblemExceptionHandler). */
    private static ProblemDetail unsupported() {
        return ProblemDetail.forStatusAndDetail(HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                "This Content-Type is not supported here; see the Accept header.");
    }

    private static boolean isWildcard(String contentType) {
        if (contentType == null) {
            return false;
        }
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            return type.isWildcardType() || type.isWildcardSubtype();
        } catch (InvalidMediaTypeException e) {
            // Spring MVC answers an unreadable Content-Type with a 415 itself.
            return false;
        }
    }

}

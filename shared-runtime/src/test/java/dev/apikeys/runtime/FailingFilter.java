package dev.apikeys.runtime;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/** A filter that breaks on one path, so a failure outside Spring MVC can be provoked. */
@Component
class FailingFilter extends OncePerRequestFilter {

    static final String PATH = "/test/filter-failure";

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (PATH.equals(request.getRequestURI())) {
            throw new IllegalStateException("FailingFilter broke: select * from secrets");
        }
        chain.doFilter(request, response);
    }
}

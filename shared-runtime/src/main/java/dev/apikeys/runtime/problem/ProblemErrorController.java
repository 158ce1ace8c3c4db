package dev.apikeys.runtime.problem;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;

/**
 * Answers the servlet container's error page for failures that never reached a controller: a
 * filter that threw, a request the security firewall rejected, a {@code sendError} from below
 * Spring MVC. Takes the place of Spring Boot's {@code BasicErrorController}, whose body would
 * carry the exception's class and message. Reached directly, {@code /error} is just a 404.
 */
@Controller
@RequestMapping("${server.error.path:${error.path:/error}}")
class ProblemErrorController implements ErrorController {

    private static final Logger log = LoggerFactory.getLogger(ProblemErrorController.class);

    private final ServletProblemWriter problemWriter;

    ProblemErrorController(ServletProblemWriter problemWriter) {
        this.problemWriter = problemWriter;
    }

    @RequestMapping
    void error(HttpServletRequest request, HttpServletResponse response) throws IOException {
        HttpStatus status = statusOf(request);
        if (status.is5xxServerError()) {
            log.error("Request {} {} failed outside Spring MVC", request.getMethod(),
                    request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI),
                    (Throwable) request.getAttribute(RequestDispatcher.ERROR_EXCEPTION));
        }
        problemWriter.write(response, problemFor(status));
    }

    private static HttpStatus statusOf(HttpServletRequest request) {
        if (!(request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) instanceof Integer code)) {
            return HttpStatus.NOT_FOUND;
        }
        if (request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) instanceof RequestRejectedException) {
            // The firewall checks a header's value when a filter reads it.
            return HttpStatus.BAD_REQUEST;
        }
        HttpStatus status = HttpStatus.resolve(code);
        return status == null || status.value() < 400 ? HttpStatus.INTERNAL_SERVER_ERROR : status;
    }

    /** Also Tomcat's answer ({@link TomcatProblemReport}) to a request it turned away itself. */
    static ProblemDetail problemFor(HttpStatus status) {
        if (status == HttpStatus.INTERNAL_SERVER_ERROR) {
            return ProblemExceptionHandler.internalError();
        }
        if (status == HttpStatus.PAYLOAD_TOO_LARGE) {
            return RequestBodyLimitFilter.tooLarge();
        }
        String detail = status.is4xxClientError()
                ? "The request could not be processed: " + status.getReasonPhrase() + "."
                : "The service could not answer the request: " + status.getReasonPhrase() + ".";
        return ProblemDetail.forStatusAndDetail(status, detail);
    }
}

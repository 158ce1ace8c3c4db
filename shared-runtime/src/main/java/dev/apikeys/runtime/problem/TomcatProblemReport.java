package dev.apikeys.runtime.problem;

import java.io.IOException;
import java.io.Writer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * Tomcat's own answer to a request it turns away before the application sees it (a malformed
 * request line or header, a header section over the size limit, too many headers, CONNECT): the
 * problem the error page would give, where Tomcat's error report valve wrote an HTML page. Tomcat
 * answers CONNECT, a proxy's method, with 501; this service is no proxy, and like any other method
 * it does not take (see the security firewall) that is a 400.
 */
final class TomcatProblemReport extends ErrorReportValve {

    private final ServletProblemWriter problemWriter;

    TomcatProblemReport(ServletProblemWriter problemWriter) {
        this.problemWriter = problemWriter;
    }

    /** As Tomcat's own report decides whether to write one at all; only the body differs. */
    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        if (response.getStatus() < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(true);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        if (response.getStatus() == HttpStatus.NOT_IMPLEMENTED.value()) {
            response.setStatus(HttpStatus.BAD_REQUEST.value());
        }
        HttpStatus status = HttpStatus.resolve(response.getStatus());
        try {
            String problem = problemWriter.json(ProblemErrorController.problemFor(
                    status == null ? HttpStatus.INTERNAL_SERVER_ERROR : status));
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            response.setCharacterEncoding("UTF-8");
            Writer reporter = response.getReporter();
            if (reporter != null) {
                reporter.write(problem);
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException clientGone) {
            // Nothing more can be said on this connection.
        }
    }
}

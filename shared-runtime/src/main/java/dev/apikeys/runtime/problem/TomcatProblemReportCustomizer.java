package dev.apikeys.runtime.problem;

import org.apache.catalina.Pipeline;
import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;

/**
 * Puts {@link TomcatProblemReport} in the place of the error report valves on Tomcat's host: the
 * one Spring Boot adds (after this runs, hence last in order) and the one the host would add at
 * start unless a valve of its configured class is there.
 */
@Component
class TomcatProblemReportCustomizer implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

    private final ServletProblemWriter problemWriter;

    TomcatProblemReportCustomizer(ServletProblemWriter problemWriter) {
        this.problemWriter = problemWriter;
    }

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.addContextCustomizers(context -> {
            Pipeline pipeline = context.getParent().getPipeline();
            for (Valve valve : pipeline.getValves()) {
                if (valve instanceof ErrorReportValve) {
                    pipeline.removeValve(valve);
                }
            }
            if (context.getParent() instanceof StandardHost host) {
                host.setErrorReportValveClass(TomcatProblemReport.class.getName());
            }
            pipeline.addValve(new TomcatProblemReport(problemWriter));
        });
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}

package dev.apikeys.query.processing;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.apikeys.runtime.problem.ProblemException;
import java.util.List;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * {@code GET /actuator/projections}: every streaming event processor and how far behind the store
 * it is. {@code POST /actuator/projections/{name}/replay}: rebuild it from the first event. The
 * security chain admits only {@code apikeys:admin} to the actuator.
 */
@Component
@Endpoint(id = "projections")
class ProjectionsEndpoint {

    static final String REPLAY = "replay";

    private final Projections projections;
    private final Rebuilds rebuilds;
    private final ProcessorReset reset;

    ProjectionsEndpoint(Projections projections, Rebuilds rebuilds, ProcessorReset reset) {
        this.projections = projections;
        this.rebuilds = rebuilds;
        this.reset = reset;
    }

    @ReadOperation
    List<ProjectionStatus> projections() {
        return projections.statuses();
    }

    /**
     * 202 once the replay is under way. A projection that reads answer from is rebuilt beside its
     * live tables and swapped in, so reads never see it empty or partial (a rebuild running already,
     * here or in another instance, is the replay asked for). Any other processor, such as the audit
     * publisher, is reset in place with Axon's own reset, whichever instances hold its segments.
     * Synchronized so that two replays of one processor cannot interleave their stop and start.
     */
    @WriteOperation
    synchronized WebEndpointResponse<ReplayStarted> replay(@Selector String name, @Selector String operation) {
        if (!REPLAY.equals(operation)) {
            throw notFound("The only operation on a processor is POST .../replay.");
        }
        StreamingEventProcessor processor = projections.processor(name).orElseThrow(() -> notFound(
                "There is no streaming event processor with this name; GET /actuator/projections lists them."));
        if (rebuilds.rebuilds(name)) {
            rebuilds.start(name);
        } else {
            reset.reset(processor);
        }
        return new WebEndpointResponse<>(new ReplayStarted(name, "started"), HttpStatus.ACCEPTED.value());
    }

    private static ProblemException notFound(String detail) {
        return new ProblemException(HttpStatus.NOT_FOUND, "/problems/processor-not-found", "Processor not found",
                detail);
    }

    record ReplayStarted(@JsonProperty("name") String name, @JsonProperty("replay") String replay) {
    }
}

package dev.apikeys.query.operations;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.tokenstore.UnableToClaimTokenException;
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
    private final Map<String, Replay> replays;

    ProjectionsEndpoint(Projections projections, List<Replay> replays) {
        this.projections = projections;
        this.replays = replays.stream().collect(Collectors.toMap(Replay::processorName, Function.identity()));
    }

    @ReadOperation
    List<ProjectionStatus> projections() {
        return projections.statuses();
    }

    /**
     * 202 once the replay is under way. A processor with a {@link Replay} of its own is handed to
     * it; any other is stopped here, its tokens reset to the start of the store (its reset
     * handlers clear what it built) and started again. Synchronized so that two replays of one
     * processor cannot interleave their stop and start.
     */
    @WriteOperation
    synchronized WebEndpointResponse<ReplayStarted> replay(@Selector String name, @Selector String operation) {
        if (!REPLAY.equals(operation)) {
            throw UnknownProcessorProblem.operation();
        }
        StreamingEventProcessor processor = projections.processor(name)
                .orElseThrow(UnknownProcessorProblem::processor);
        Replay replay = replays.get(name);
        if (replay != null) {
            replay.start();
        } else {
            reset(processor);
        }
        return new WebEndpointResponse<>(new ReplayStarted(name, "started"), HttpStatus.ACCEPTED.value());
    }

    /**
     * Known gap: a reset must claim every segment, so it fails while another instance holds one;
     * the processor must be stopped there first (409). Either way this instance's processor runs
     * again afterwards.
     */
    private static void reset(StreamingEventProcessor processor) {
        processor.shutDown();
        try {
            processor.resetTokens();
        } catch (UnableToClaimTokenException e) {
            throw new SegmentsClaimedElsewhereProblem();
        } finally {
            processor.start();
        }
    }

    record ReplayStarted(@JsonProperty("name") String name, @JsonProperty("replay") String replay) {
    }
}

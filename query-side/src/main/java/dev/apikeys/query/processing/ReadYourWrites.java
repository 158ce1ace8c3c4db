package dev.apikeys.query.processing;

import dev.apikeys.query.processing.Positions.Position;
import dev.apikeys.runtime.problem.ProblemException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Makes a read wait until a processor has applied every event committed before the read began, so
 * a caller whose write answered 2xx sees it in the next GET: in one process, and also when the
 * command side is another process sharing the database. The processor's segments of this instance
 * are followed in memory and wake the wait as they move; a segment another instance claims is read
 * from the token store.
 */
@Component
public class ReadYourWrites {

    private static final Logger log = LoggerFactory.getLogger(ReadYourWrites.class);

    private final EventProcessingConfiguration processing;
    private final ProcessorTokens tokens;
    private final ProcessorProgress progress;
    private final CatchUp catchUp;
    private final Duration timeout;
    private final Timer waits;

    ReadYourWrites(EventProcessingConfiguration processing, ProcessorTokens tokens, ProcessorProgress progress,
            CatchUp catchUp, ProcessingProperties properties, MeterRegistry meters) {
        this.processing = processing;
        this.tokens = tokens;
        this.progress = progress;
        this.catchUp = catchUp;
        this.timeout = properties.readYourWrites().timeout();
        this.waits = Timer.builder("apikeys.read_your_writes.wait")
                .description("How long reads waited for the read model to catch up")
                .register(meters);
    }

    /**
     * Waits, at most the configured timeout, until the processor has applied everything committed
     * now.
     *
     * @throws ProblemException a 503 when the timeout passed first: a stale answer would break
     *         read-your-writes, so the caller is told to try again instead
     */
    public void awaitProcessor(String processorName) {
        long start = System.nanoTime();
        boolean caughtUp;
        try {
            caughtUp = catchUp.await(positions(processorName), timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            caughtUp = false;
        }
        waits.record(Duration.ofNanos(System.nanoTime() - start));
        if (!caughtUp) {
            log.warn("{} did not catch up with the event store within {}", processorName, timeout);
            throw ProblemException.unavailable("/problems/read-model-behind",
                    "The read model is catching up with recent writes; try again shortly.");
        }
    }

    private Positions positions(String processorName) {
        return new Positions() {
            @Override
            public Snapshot now() {
                long mark = progress.signal().mark();
                Map<Integer, EventTrackerStatus> local = processing
                        .eventProcessor(processorName, StreamingEventProcessor.class)
                        .map(StreamingEventProcessor::processingStatus).orElse(Map.of());
                List<Position> positions = new ArrayList<>();
                local.values().forEach(status -> positions.add(
                        new Position(status.getSegment(), status.getTrackingToken(), true)));
                double covered = local.values().stream()
                        .mapToDouble(status -> 1.0 / (status.getSegment().getMask() + 1)).sum();
                if (covered < 1.0) {
                    tokens.claims(processorName).stream()
                            .filter(claim -> !local.containsKey(claim.segment().getSegmentId()))
                            .forEach(claim -> positions.add(new Position(claim.segment(), claim.token(), false)));
                }
                return new Snapshot(mark, positions);
            }

            @Override
            public void awaitChange(long mark, long nanos) throws InterruptedException {
                progress.signal().awaitChange(mark, nanos);
            }
        };
    }
}

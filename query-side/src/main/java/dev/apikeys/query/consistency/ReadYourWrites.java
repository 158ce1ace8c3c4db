package dev.apikeys.query.consistency;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Makes a read wait until a processor has applied every event committed before the read began, so
 * a caller whose write answered 2xx sees it in the next GET: in one process and also when the
 * command side is another process sharing the database. Positions come from the token store table,
 * so it works whichever instance owns the segments.
 */
@Component
public class ReadYourWrites {

    private static final Logger log = LoggerFactory.getLogger(ReadYourWrites.class);

    /** Short enough to add little latency, long enough not to hammer the database. */
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private final EventStoreHead eventStore;
    private final ProcessorTokens tokens;
    private final Duration timeout;
    private final Timer waits;

    ReadYourWrites(EventStoreHead eventStore, ProcessorTokens tokens,
            @Value("${apikeys.read-your-writes.timeout:5s}") Duration timeout, MeterRegistry meters) {
        this.eventStore = eventStore;
        this.tokens = tokens;
        this.timeout = timeout;
        this.waits = Timer.builder("apikeys.read_your_writes.wait")
                .description("How long reads waited for the read model to catch up")
                .register(meters);
    }

    /**
     * Waits, at most the configured timeout, until the processor has applied everything committed
     * now.
     *
     * @throws ReadModelBehind when the timeout passed first: a stale answer would break
     *         read-your-writes, so the caller is told to try again instead
     */
    public void awaitProcessor(String processorName) {
        long start = System.nanoTime();
        // Usually the processor is past the head already: one round trip tells.
        PositionsAtHead now = tokens.positionsAtHead(processorName);
        Long head = now.head();
        long deadline = start + timeout.toNanos();
        boolean caughtUp = head == null || CatchUp.isPastWithoutGaps(now.positions(), head);
        while (!caughtUp && !(caughtUp = hasApplied(processorName, head)) && System.nanoTime() < deadline
                && !Thread.currentThread().isInterrupted()) {
            LockSupport.parkNanos(POLL_NANOS);
        }
        Duration waited = Duration.ofNanos(System.nanoTime() - start);
        waits.record(waited);
        if (caughtUp) {
            log.debug("{} reached event store head {} after {} ms", processorName, head, waited.toMillis());
        } else {
            log.warn("{} did not reach event store head {} within {}", processorName, head, timeout);
            throw new ReadModelBehind();
        }
    }

    private boolean hasApplied(String processorName, Long head) {
        if (head == null) {
            return true;
        }
        List<SegmentPosition> positions = tokens.positions(processorName);
        if (positions.isEmpty()) {
            return false;
        }
        List<StoredEvent> candidates = eventStore.candidates(head, CatchUp.slowestIndex(positions),
                CatchUp.gaps(positions));
        return CatchUp.hasApplied(positions, candidates, head);
    }
}

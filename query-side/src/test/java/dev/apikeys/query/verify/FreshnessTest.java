package dev.apikeys.query.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikeys.query.processing.CatchUp;
import dev.apikeys.query.processing.EventStoreIndex;
import dev.apikeys.query.processing.Positions;
import dev.apikeys.query.processing.Signal;
import dev.apikeys.query.processing.StoreHead;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.Segment;
import org.junit.jupiter.api.Test;

/** Whether a verification reads the store's head, with the keys in memory at some position. */
class FreshnessTest {

    private static final Duration SHORT = Duration.ofMillis(100);

    private final AtomicInteger reads = new AtomicInteger();
    private volatile long head = 5;
    private volatile long keysAt = 5;
    private final CatchUp catchUp = new CatchUp(new StoreHead(indexes -> {
        reads.incrementAndGet();
        return new EventStoreIndex.Head(head, Set.of());
    }), (after, upTo, gaps) -> List.of(), () -> { });
    /** Keys that move only between verifications: a wait for them to move sees nothing. */
    private final Positions keys = new Positions() {
        private final Signal unchanged = new Signal();

        @Override
        public Snapshot now() {
            return new Snapshot(unchanged.mark(), List.of(new Position(Segment.ROOT_SEGMENT,
                    GapAwareTrackingToken.newInstance(keysAt, Set.of()), true)));
        }

        @Override
        public void awaitChange(long mark, long nanos) throws InterruptedException {
            unchanged.awaitChange(mark, nanos);
        }
    };

    @Test
    void whereOtherProcessesWriteEveryVerificationReadsTheHeadAndWaitsForIt() throws InterruptedException {
        Freshness freshness = new Freshness(catchUp, keys, properties(false));

        assertThat(freshness.await(SHORT)).isTrue();
        assertThat(freshness.await(SHORT)).isTrue();
        assertThat(reads).hasValue(2);

        head = 6;
        assertThat(freshness.await(SHORT)).as("the keys are behind a write").isFalse();
    }

    @Test
    void whereEveryWriteIsThisProcessesOnlyTheFirstVerificationThatFindsTheKeysCaughtUpReadsTheHead()
            throws InterruptedException {
        Freshness freshness = new Freshness(catchUp, keys, properties(true));
        keysAt = 4;

        assertThat(freshness.await(SHORT)).as("still catching up after the start").isFalse();
        keysAt = 5;
        assertThat(freshness.await(SHORT)).isTrue();
        head = 6;
        assertThat(freshness.await(SHORT)).as("a write of this process reaches the keys before it answers").isTrue();
        assertThat(reads).hasValue(2);
    }

    private static VerificationProperties properties(boolean writesInThisProcessOnly) {
        return new VerificationProperties(new VerificationProperties.Verify(Duration.ofSeconds(2),
                writesInThisProcessOnly), new VerificationProperties.Usage(Duration.ofSeconds(5)));
    }
}

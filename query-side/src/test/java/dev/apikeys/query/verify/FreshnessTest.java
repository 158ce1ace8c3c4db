package dev.apikeys.query.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.junit.jupiter.api.Test;

class FreshnessTest {

    private static final Duration LONG = Duration.ofSeconds(10);
    private static final Duration SHORT = Duration.ofMillis(50);

    /** What the store holds: its head, and the committed events among any indexes asked about. */
    private final AtomicReference<Long> head = new AtomicReference<>(-1L);
    private final AtomicReference<Set<Long>> committed = new AtomicReference<>(Set.of());
    private final AtomicReference<Set<Long>> askedAbout = new AtomicReference<>();
    private final Freshness freshness = new Freshness(new StoreHead(gaps -> {
        askedAbout.set(gaps);
        return new StoreHead.Reading(head.get(), gaps.stream().filter(committed.get()::contains)
                .collect(java.util.stream.Collectors.toSet()));
    }));

    @Test
    void anEmptyStoreIsReflectedByNothing() throws InterruptedException {
        assertThat(freshness.await(SHORT)).isTrue();
    }

    @Test
    void theKeysMustHaveReachedTheHead() throws InterruptedException {
        head.set(5L);
        freshness.applied(position(4));
        assertThat(freshness.await(SHORT)).isFalse();

        freshness.applied(position(5));
        assertThat(freshness.await(SHORT)).isTrue();
    }

    @Test
    void aWaitingVerificationReturnsOnceTheKeysReachTheHead() throws Exception {
        head.set(7L);
        CompletableFuture<Boolean> verification = CompletableFuture.supplyAsync(this::awaitLong);
        await().atMost(LONG).until(() -> askedAbout.get() != null);

        freshness.applied(position(7));

        assertThat(verification.get(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aCommittedEventInAGapOfTheKeysIsWaitedFor() throws InterruptedException {
        head.set(10L);
        committed.set(Set.of(8L));
        freshness.applied(position(10, 8L, 9L));

        assertThat(freshness.await(SHORT)).isFalse();
        assertThat(askedAbout.get()).containsExactlyInAnyOrder(8L, 9L);

        freshness.applied(position(10, 9L));
        assertThat(freshness.await(SHORT)).isTrue();
    }

    /**
     * The keys may pass an index as not yet committed after the head was read, from events their
     * stream had fetched before that index's write committed. Its commit was then never asked
     * about; the verification must ask before it counts the keys as fresh.
     */
    @Test
    void aGapTheKeysSkippedAfterTheHeadWasReadIsAskedAboutAndWaitedFor() throws Exception {
        head.set(10L);
        committed.set(Set.of(8L));
        freshness.applied(position(5));
        CompletableFuture<Boolean> verification = CompletableFuture.supplyAsync(this::awaitLong);
        await().atMost(LONG).until(() -> askedAbout.get() != null);

        freshness.applied(position(10, 8L));

        await().atMost(LONG).until(() -> askedAbout.get().contains(8L));
        await().during(Duration.ofMillis(300)).atMost(LONG).until(() -> !verification.isDone());
        freshness.applied(position(10));
        assertThat(verification.get(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aGapNothingWasCommittedInCostsNoWait() throws InterruptedException {
        head.set(10L);
        freshness.applied(position(10, 9L));

        assertThat(freshness.await(SHORT)).isTrue();
    }

    @Test
    void itTimesOutWhenTheKeysNeverCatchUp() throws InterruptedException {
        head.set(1L);

        long start = System.nanoTime();
        assertThat(freshness.await(Duration.ofMillis(200))).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
    }

    @Test
    void aFailedReadOfTheHeadIsPassedOn() {
        Freshness unreadable = new Freshness(new StoreHead(gaps -> {
            throw new IllegalStateException("connection refused");
        }));

        assertThatThrownBy(() -> unreadable.await(SHORT)).hasMessage("connection refused");
    }

    private boolean awaitLong() {
        try {
            return freshness.await(LONG);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static GapAwareTrackingToken position(long index, Long... gaps) {
        return GapAwareTrackingToken.newInstance(index, Set.of(gaps));
    }
}

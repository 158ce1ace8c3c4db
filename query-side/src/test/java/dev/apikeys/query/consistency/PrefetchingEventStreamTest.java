package dev.apikeys.query.consistency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.GenericTrackedEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A reader stuck on the store shows as a consumer waiting for ever; the timeout turns it into a failure. */
@Timeout(30)
class PrefetchingEventStreamTest {

    /** The committed events, as the storage engine would answer "everything after this position". */
    private final List<TrackedEventMessage<?>> store = new CopyOnWriteArrayList<>();
    private final AtomicReference<RuntimeException> storeFailure = new AtomicReference<>();
    private final AtomicInteger failedReads = new AtomicInteger();
    private final AtomicReference<PrefetchingEventStream> closed = new AtomicReference<>();
    private PrefetchingEventStream stream;

    @AfterEach
    void close() {
        if (stream != null) {
            stream.close();
        }
    }

    private PrefetchingEventStream openAfter(TrackingToken position) {
        stream = new PrefetchingEventStream(position, this::eventsAfter, closed::set);
        return stream;
    }

    private Stream<? extends TrackedEventMessage<?>> eventsAfter(TrackingToken position) {
        RuntimeException failure = storeFailure.get();
        if (failure != null) {
            failedReads.incrementAndGet();
            throw failure;
        }
        long after = position == null ? -1 : position.position().orElseThrow();
        return store.stream().filter(event -> event.trackingToken().position().orElseThrow() > after);
    }

    @Test
    void tellsItsConsumerWhenEventsAreCommittedWithoutBeingWoken() throws Exception {
        openAfter(null);
        CountDownLatch told = new CountDownLatch(1);
        assertThat(stream.setOnAvailableCallback(told::countDown)).isTrue();
        assertThat(stream.hasNextAvailable()).isFalse();

        store.add(event(1));
        store.add(event(2));

        assertThat(told.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(stream.hasNextAvailable(10, TimeUnit.SECONDS)).isTrue();
        assertThat(stream.peek()).hasValueSatisfying(next -> assertThat(next.getPayload()).isEqualTo(1L));
        assertThat(stream.nextAvailable().getPayload()).isEqualTo(1L);
        assertThat(stream.nextAvailable().getPayload()).isEqualTo(2L);
        assertThat(stream.hasNextAvailable()).isFalse();
    }

    @Test
    void readsOnlyWhatFollowsItsPositionAndEachEventOnce() throws Exception {
        store.add(event(1));
        store.add(event(2));
        openAfter(event(1).trackingToken());

        assertThat(stream.nextAvailable().getPayload()).isEqualTo(2L);
        store.add(event(3));
        stream.wake();
        assertThat(stream.nextAvailable().getPayload()).isEqualTo(3L);
        assertThat(stream.hasNextAvailable(5 * PrefetchingEventStream.RECHECK_MILLIS, TimeUnit.MILLISECONDS)).isFalse();
    }

    @Test
    void aFailingStoreFailsTheConsumerOnceWhatWasReadIsTaken() throws Exception {
        store.add(event(1));
        store.add(event(2));
        openAfter(null);
        assertThat(stream.nextAvailable().getPayload()).isEqualTo(1L);

        storeFailure.set(new IllegalStateException("database gone"));
        await().atMost(Duration.ofSeconds(10)).until(() -> failedReads.get() > 0);

        assertThat(stream.nextAvailable().getPayload()).isEqualTo(2L);
        assertThatThrownBy(stream::hasNextAvailable).hasMessage("database gone");
        assertThatThrownBy(stream::nextAvailable).hasMessage("database gone");
    }

    @Test
    void closingTellsItsOwner() {
        openAfter(null).close();

        assertThat(closed.get()).isSameAs(stream);
    }

    private static TrackedEventMessage<?> event(long index) {
        return new GenericTrackedEventMessage<>(GapAwareTrackingToken.newInstance(index, Set.of()),
                GenericEventMessage.asEventMessage(index));
    }
}

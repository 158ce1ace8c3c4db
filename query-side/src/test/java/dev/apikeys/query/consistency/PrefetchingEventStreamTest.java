package dev.apikeys.query.consistency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.GenericTrackedEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingEventStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A reader stuck on its delegate shows as a consumer waiting for ever; the timeout turns it into a failure. */
@Timeout(30)
class PrefetchingEventStreamTest {

    private final QueuedStream delegate = new QueuedStream();
    private final PrefetchingEventStream stream = new PrefetchingEventStream(delegate);

    @AfterEach
    void close() {
        stream.close();
    }

    @Test
    void tellsItsConsumerWhenEventsArriveEvenIfNothingWakesTheDelegate() throws Exception {
        CountDownLatch told = new CountDownLatch(1);
        assertThat(stream.setOnAvailableCallback(told::countDown)).isTrue();
        assertThat(stream.hasNextAvailable()).isFalse();

        delegate.events.add(event(1));
        delegate.events.add(event(2));

        assertThat(told.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(stream.hasNextAvailable(10, TimeUnit.SECONDS)).isTrue();
        assertThat(stream.peek()).hasValueSatisfying(next -> assertThat(next.getPayload()).isEqualTo(1L));
        assertThat(stream.nextAvailable().getPayload()).isEqualTo(1L);
        assertThat(stream.nextAvailable().getPayload()).isEqualTo(2L);
        assertThat(stream.hasNextAvailable()).isFalse();
    }

    @Test
    void aFailingDelegateFailsTheConsumerOnceWhatWasReadIsTaken() throws Exception {
        delegate.events.add(event(1));
        assertThat(stream.nextAvailable().getPayload()).isEqualTo(1L);

        delegate.failure = new IllegalStateException("database gone");

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThatThrownBy(stream::hasNextAvailable).hasMessage("database gone"));
        assertThatThrownBy(stream::nextAvailable).hasMessage("database gone");
    }

    @Test
    void closingStopsTheReaderAndClosesTheDelegate() {
        stream.close();

        await().atMost(Duration.ofSeconds(10)).until(() -> delegate.closed.get() == 1);
    }

    private static TrackedEventMessage<?> event(long index) {
        return new GenericTrackedEventMessage<>(GapAwareTrackingToken.newInstance(index, Set.of()),
                GenericEventMessage.asEventMessage(index));
    }

    /**
     * Like the embedded event store's stream when it reads the database itself: nothing wakes a
     * consumer waiting on it when events are appended, so a wait for the next event lasts for ever,
     * but asked again it finds them. With no event to give, it fails once told to.
     */
    private static final class QueuedStream implements TrackingEventStream {

        final Queue<TrackedEventMessage<?>> events = new ConcurrentLinkedQueue<>();
        final AtomicInteger closed = new AtomicInteger();
        volatile RuntimeException failure;
        private final CountDownLatch neverSignalled = new CountDownLatch(1);

        @Override
        public Optional<TrackedEventMessage<?>> peek() {
            return Optional.ofNullable(events.peek());
        }

        @Override
        public boolean hasNextAvailable(int timeout, TimeUnit unit) throws InterruptedException {
            if (events.isEmpty()) {
                failIfTold();
                neverSignalled.await(timeout, unit);
            }
            return !events.isEmpty();
        }

        @Override
        public TrackedEventMessage<?> nextAvailable() throws InterruptedException {
            TrackedEventMessage<?> next = events.poll();
            if (next == null) {
                failIfTold();
                neverSignalled.await();
            }
            return next;
        }

        private void failIfTold() {
            if (failure != null) {
                throw failure;
            }
        }

        @Override
        public void close() {
            closed.incrementAndGet();
        }
    }
}

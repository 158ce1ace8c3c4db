package dev.apikeys.query.consistency;

import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingEventStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A tracking stream that reads its delegate ahead on a thread of its own, so that it can tell its
 * consumer the moment events arrive. Axon's pooled processor coordinator checks a stream that cannot
 * do this only every 500 ms, a delay every read-your-writes wait would pay; told, it hands the events
 * to its work packages at once.
 * <p>
 * Axon's streams are not thread-safe, so only the reading thread ever touches the delegate. Events
 * are consumed by one thread (the coordinator's), which alone touches {@link #peeked}.
 */
final class PrefetchingEventStream implements TrackingEventStream {

    private static final Logger log = LoggerFactory.getLogger(PrefetchingEventStream.class);

    /** As many events as the coordinator hands out in one round; beyond that the reader waits. */
    private static final int CAPACITY = 1024;

    /** How often a consumer blocked in nextAvailable looks for a failure of the reader. */
    private static final int FAILURE_CHECK_MILLIS = 100;

    /**
     * The reader waits on the delegate at most this long before asking again, as the event store's
     * fetch delay. It must never wait unbounded: the embedded event store's stream, when it falls back
     * to reading the database itself (as it does at start-up), is only woken by events appended later,
     * so it would sit on an event already committed. Asking again makes it read the database anew.
     */
    private static final int RECHECK_MILLIS = 20;

    private final BlockingQueue<TrackedEventMessage<?>> prefetched = new LinkedBlockingQueue<>(CAPACITY);
    private final Thread reader;
    private volatile Runnable onAvailable = () -> {
    };
    private volatile RuntimeException failure;
    private TrackedEventMessage<?> peeked;

    PrefetchingEventStream(TrackingEventStream delegate) {
        reader = new Thread(() -> readAhead(delegate), "event-stream-prefetch");
        reader.setDaemon(true);
        reader.start();
    }

    private void readAhead(TrackingEventStream delegate) {
        try (delegate) {
            while (!Thread.currentThread().isInterrupted()) {
                if (delegate.hasNextAvailable(RECHECK_MILLIS, TimeUnit.MILLISECONDS)) {
                    prefetched.put(delegate.nextAvailable());
                    onAvailable.run();
                }
            }
        } catch (InterruptedException e) {
            // close() interrupts the reader: the stream is done.
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.debug("Reading events ahead failed; the consumer gets the failure", e);
            // The consumer must see it, as it would reading the delegate itself, so the processor
            // reopens the stream instead of waiting forever.
            failure = e;
            onAvailable.run();
        }
    }

    @Override
    public Optional<TrackedEventMessage<?>> peek() {
        if (peeked == null) {
            peeked = prefetched.poll();
        }
        failIfNothingComes();
        return Optional.ofNullable(peeked);
    }

    @Override
    public boolean hasNextAvailable(int timeout, TimeUnit unit) throws InterruptedException {
        if (peeked == null) {
            peeked = prefetched.poll(timeout, unit);
        }
        failIfNothingComes();
        return peeked != null;
    }

    @Override
    public TrackedEventMessage<?> nextAvailable() throws InterruptedException {
        while (!hasNextAvailable(FAILURE_CHECK_MILLIS, TimeUnit.MILLISECONDS)) {
            // Keep waiting: a failed reader makes hasNextAvailable throw.
        }
        TrackedEventMessage<?> next = peeked;
        peeked = null;
        return next;
    }

    private void failIfNothingComes() {
        RuntimeException cause = failure;
        if (peeked == null && cause != null) {
            throw cause;
        }
    }

    /** The coordinator's callback: it schedules a coordination round, which then takes the events. */
    @Override
    public boolean setOnAvailableCallback(Runnable callback) {
        onAvailable = callback;
        return true;
    }

    @Override
    public void close() {
        reader.interrupt();
    }
}

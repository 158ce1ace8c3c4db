package dev.apikeys.query.consistency;

import java.util.Iterator;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingEventStream;
import org.axonframework.eventhandling.TrackingToken;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A tracking stream that tails the event store on a thread of its own and tells its consumer the
 * moment events arrive. Axon's pooled processor coordinator checks a stream that cannot do this
 * only every 500 ms, a delay every read-your-writes wait would pay; told, it hands the events to
 * its work packages at once.
 * <p>
 * The reader asks the storage engine for everything after its position (gaps included: the
 * engine's gap-aware token covers them), and when there is nothing new waits until a local commit
 * wakes it or {@link #RECHECK_MILLIS} passes, the lag for writes of another process. It reads the
 * store itself rather than through the embedded event store's shared stream, whose hand-over
 * between its private and shared readers was seen to hold a first event back for seconds.
 * <p>
 * Events are consumed by one thread (the coordinator's), which alone touches {@link #peeked}.
 */
final class PrefetchingEventStream implements TrackingEventStream {

    private static final Logger log = LoggerFactory.getLogger(PrefetchingEventStream.class);

    /** As many events as the coordinator hands out in one round; beyond that the reader waits. */
    private static final int CAPACITY = 1024;

    /** How often a consumer blocked in nextAvailable looks for a failure of the reader. */
    private static final int FAILURE_CHECK_MILLIS = 100;

    /** Idle, the reader asks the store again this often: one indexed query per tick. */
    static final int RECHECK_MILLIS = 20;

    private final BlockingQueue<TrackedEventMessage<?>> prefetched = new LinkedBlockingQueue<>(CAPACITY);
    private final Function<TrackingToken, Stream<? extends TrackedEventMessage<?>>> eventsAfter;
    private final Consumer<PrefetchingEventStream> onClose;
    private final Thread reader;
    private volatile Runnable onAvailable = () -> {
    };
    private volatile RuntimeException failure;
    private TrackedEventMessage<?> peeked;

    /**
     * @param start       the position to read after (null: from the first event)
     * @param eventsAfter the committed events after a position, in order, as a finite stream
     * @param onClose     told once the consumer closed the stream
     */
    PrefetchingEventStream(TrackingToken start,
            Function<TrackingToken, Stream<? extends TrackedEventMessage<?>>> eventsAfter,
            Consumer<PrefetchingEventStream> onClose) {
        this.eventsAfter = eventsAfter;
        this.onClose = onClose;
        reader = new Thread(() -> readAhead(start), "event-stream-prefetch");
        reader.setDaemon(true);
        reader.start();
    }

    /** New events were committed in this process: read them now rather than at the next recheck. */
    void wake() {
        LockSupport.unpark(reader);
    }

    private void readAhead(TrackingToken start) {
        TrackingToken position = start;
        try {
            while (!Thread.currentThread().isInterrupted()) {
                boolean read = false;
                try (Stream<? extends TrackedEventMessage<?>> events = eventsAfter.apply(position)) {
                    for (Iterator<? extends TrackedEventMessage<?>> it = events.iterator(); it.hasNext(); ) {
                        TrackedEventMessage<?> event = it.next();
                        prefetched.put(event);
                        position = event.trackingToken();
                        read = true;
                        onAvailable.run();
                    }
                }
                if (!read) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(RECHECK_MILLIS));
                }
            }
        } catch (InterruptedException e) {
            // close() interrupts the reader: the stream is done.
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.debug("Reading events ahead failed; the consumer gets the failure", e);
            // The consumer must see it, as it would reading the store itself, so the processor
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
        onClose.accept(this);
    }
}

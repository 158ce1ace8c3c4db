package dev.apikeys.query.processing;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.StreamableMessageSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The event store as the processors read it, telling them when events arrive. An idle pooled
 * processor whose stream offers no callback for new events polls it every 500 ms, and the embedded
 * event store's streams offer none: a read would wait up to half a second for its own write (466
 * ms at the median, measured). One more tailing consumer of the store, sharing its one read, wakes
 * as events arrive and runs the callbacks the processors' streams were given: at once after a
 * quiet spell, and under load at most every {@link #LINGER_MILLIS}, so that the processors take
 * the events of that time in one batch rather than a transaction for each commit.
 */
@Component
class EventArrivals implements StreamableMessageSource<TrackedEventMessage<?>>, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(EventArrivals.class);
    private static final long LINGER_MILLIS = 10;

    /** Axon's configuration needs this source, so the store is looked up once both exist. */
    private final ObjectProvider<EventStore> eventStore;
    private final Set<Runnable> callbacks = ConcurrentHashMap.newKeySet();
    private volatile Thread watcher;

    EventArrivals(ObjectProvider<EventStore> eventStore) {
        this.eventStore = eventStore;
    }

    @Override
    public BlockingStream<TrackedEventMessage<?>> openStream(TrackingToken token) {
        return new CallingBack(eventStore.getObject().openStream(token));
    }

    @Override
    public TrackingToken createTailToken() {
        return eventStore.getObject().createTailToken();
    }

    @Override
    public TrackingToken createHeadToken() {
        return eventStore.getObject().createHeadToken();
    }

    @Override
    public TrackingToken createTokenAt(Instant dateTime) {
        return eventStore.getObject().createTokenAt(dateTime);
    }

    @Override
    public void start() {
        watcher = new Thread(this::watch, "event-arrivals");
        watcher.setDaemon(true);
        watcher.start();
    }

    @Override
    public void stop() {
        Thread stopping = watcher;
        watcher = null;
        stopping.interrupt();
    }

    @Override
    public boolean isRunning() {
        return watcher != null;
    }

    private void watch() {
        while (watcher == Thread.currentThread()) {
            try (BlockingStream<TrackedEventMessage<?>> arrivals = eventStore.getObject()
                    .openStream(eventStore.getObject().createHeadToken())) {
                long linger = TimeUnit.MILLISECONDS.toNanos(LINGER_MILLIS);
                long lastCall = System.nanoTime() - linger;
                while (watcher == Thread.currentThread()) {
                    if (arrivals.hasNextAvailable(1, TimeUnit.SECONDS)) {
                        TimeUnit.NANOSECONDS.sleep(linger - (System.nanoTime() - lastCall));
                        while (arrivals.hasNextAvailable()) {
                            arrivals.nextAvailable();
                        }
                        callbacks.forEach(Runnable::run);
                        lastCall = System.nanoTime();
                    }
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // The store is out of reach, say; meanwhile the processors poll as they would anyway.
                log.warn("Watching for events failed; again in a second: {}", e.toString());
                try {
                    TimeUnit.SECONDS.sleep(1);
                } catch (InterruptedException stopped) {
                    return;
                }
            }
        }
    }

    /** A stream of the store that takes a callback, run when events arrive. */
    private final class CallingBack implements BlockingStream<TrackedEventMessage<?>> {

        private final BlockingStream<TrackedEventMessage<?>> stream;
        private volatile Runnable callback;

        CallingBack(BlockingStream<TrackedEventMessage<?>> stream) {
            this.stream = stream;
        }

        @Override
        public boolean setOnAvailableCallback(Runnable callback) {
            this.callback = callback;
            callbacks.add(callback);
            return true;
        }

        @Override
        public Optional<TrackedEventMessage<?>> peek() {
            return stream.peek();
        }

        @Override
        public boolean hasNextAvailable(int timeout, TimeUnit unit) throws InterruptedException {
            return stream.hasNextAvailable(timeout, unit);
        }

        @Override
        public boolean hasNextAvailable() {
            return stream.hasNextAvailable();
        }

        @Override
        public TrackedEventMessage<?> nextAvailable() throws InterruptedException {
            return stream.nextAvailable();
        }

        @Override
        public void skipMessagesWithPayloadTypeOf(TrackedEventMessage<?> ignoredMessage) {
            stream.skipMessagesWithPayloadTypeOf(ignoredMessage);
        }

        @Override
        public void close() {
            if (callback != null) {
                callbacks.remove(callback);
            }
            stream.close();
        }
    }
}

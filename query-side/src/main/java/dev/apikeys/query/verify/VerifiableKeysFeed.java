package dev.apikeys.query.verify;

import dev.apikeys.events.ApiKeyEvent;
import dev.apikeys.query.KeyStates;
import dev.apikeys.query.keys.ReadModelProjection;
import dev.apikeys.query.processing.Positions;
import dev.apikeys.query.processing.ProcessorTokens;
import dev.apikeys.query.processing.Signal;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.axonframework.common.Registration;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Fills the keys in memory and keeps them current in every query-side instance: it loads the read
 * model's live keys, then follows the event store (a tailing stream, sharing the event store's one
 * read) from a position every segment of the read model had passed before the load. Events this
 * process writes are applied once committed, before their write answers. Each event applies once,
 * however often it arrives.
 * <p>
 * A key deleted before the load is not loaded: should the stream bring its creation again, its
 * deletion follows, and no verification answers before the stream passed the writes that answered
 * before it ({@link Freshness}).
 */
@Component
class VerifiableKeysFeed implements SmartLifecycle, Positions {

    private static final Logger log = LoggerFactory.getLogger(VerifiableKeysFeed.class);

    /** Events applied between two signals, at most. */
    private static final int RUN = 1000;
    private static final long RETRY_MILLIS = 1000;

    private final EventStore eventStore;
    private final ProcessorTokens tokens;
    private final JdbcTemplate jdbc;
    private final TransactionOperations transactions;
    private final VerifiableKeys keys;
    private final Signal signal = new Signal();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile Thread follower;
    private volatile Registration subscription;
    private volatile boolean loaded;
    private volatile TrackingToken position;

    VerifiableKeysFeed(EventStore eventStore, ProcessorTokens tokens, JdbcTemplate jdbc,
            TransactionOperations transactions, VerifiableKeys keys) {
        this.eventStore = eventStore;
        this.tokens = tokens;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.keys = keys;
    }

    @Override
    public void start() {
        subscription = eventStore.subscribe(this::published);
        follower = new Thread(this::loadAndFollow, "verifiable-keys-feed");
        follower.setDaemon(true);
        follower.start();
    }

    @Override
    public void stop() {
        stopped.countDown();
        subscription.cancel();
        Thread thread = follower;
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return follower != null && stopped.getCount() > 0;
    }

    /** Not before the keys are loaded: whole and at its position, or none at all. */
    @Override
    public Snapshot now() {
        long mark = signal.mark();
        return new Snapshot(mark, loaded ? List.of(Position.whole(position)) : List.of());
    }

    @Override
    public void awaitChange(long mark, long nanos) throws InterruptedException {
        signal.awaitChange(mark, nanos);
    }

    /** Events this process appends: applied once their transaction committed. */
    private void published(List<? extends EventMessage<?>> events) {
        if (CurrentUnitOfWork.isStarted()) {
            CurrentUnitOfWork.get().afterCommit(unitOfWork -> events.forEach(this::applyPublished));
        } else {
            events.forEach(this::applyPublished);
        }
    }

    private void applyPublished(EventMessage<?> message) {
        if (message instanceof DomainEventMessage<?> event && event.getPayload() instanceof ApiKeyEvent key) {
            keys.apply(key, event.getSequenceNumber());
        }
    }

    private void applyFollowed(EventMessage<?> message) {
        if (message instanceof DomainEventMessage<?> event && event.getPayload() instanceof ApiKeyEvent key) {
            keys.applyInStoreOrder(key, event.getSequenceNumber());
        }
    }

    private void loadAndFollow() {
        try {
            while (!load()) {
                pauseAfterFailure();
            }
            while (stopped.getCount() > 0) {
                follow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean load() {
        try {
            TrackingToken everySegmentPassed = tokens.passedByEverySegment(ReadModelProjection.PROCESSOR);
            KeyStates.forEachVerifiable(jdbc, transactions, keys::load);
            position = everySegmentPassed;
            loaded = true;
            signal.signal();
            log.info("{} keys loaded for verification; following the event store after {}", keys.size(),
                    everySegmentPassed);
            return true;
        } catch (RuntimeException e) {
            log.warn("Loading the keys for verification failed; retrying: {}", e.toString());
            return false;
        }
    }

    /** Applies what is there, then tells waits: once per run of events, not per event. */
    private void follow() throws InterruptedException {
        try (BlockingStream<TrackedEventMessage<?>> events = eventStore.openStream(position)) {
            while (stopped.getCount() > 0) {
                if (events.hasNextAvailable(1, TimeUnit.SECONDS)) {
                    for (int run = 0; run < RUN && events.hasNextAvailable(); run++) {
                        TrackedEventMessage<?> event = events.nextAvailable();
                        applyFollowed(event);
                        position = event.trackingToken();
                    }
                    signal.signal();
                }
            }
        } catch (RuntimeException e) {
            log.warn("Following the event store for verification failed; resuming: {}", e.toString());
            pauseAfterFailure();
        }
    }

    private void pauseAfterFailure() throws InterruptedException {
        if (stopped.await(RETRY_MILLIS, TimeUnit.MILLISECONDS)) {
            throw new InterruptedException("stopped");
        }
    }
}

package dev.apikeys.query.verify;

import dev.apikeys.events.ApiKeyUsageStream;
import dev.apikeys.query.consistency.ProcessorTokens;
import dev.apikeys.query.projection.ApiKeyProjection;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Fills the keys in memory and keeps them current in every query-side instance, whichever instance
 * owns the read-model segments: it loads the lookup table, then follows the event store itself from
 * a position every segment had passed before the load. Events the table already reflected are
 * skipped by their sequence number.
 */
@Component
class VerifiableKeysFeed implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(VerifiableKeysFeed.class);

    /** How long to wait before reading again after the store failed. */
    private static final long RETRY_MILLIS = 1000;

    private final EventStore eventStore;
    private final ProcessorTokens tokens;
    private final KeyLookupTable table;
    private final VerifiableKeys keys;
    private final Freshness freshness;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile Thread follower;
    private TrackingToken position;

    VerifiableKeysFeed(EventStore eventStore, ProcessorTokens tokens, KeyLookupTable table, VerifiableKeys keys,
            Freshness freshness) {
        this.eventStore = eventStore;
        this.tokens = tokens;
        this.table = table;
        this.keys = keys;
        this.freshness = freshness;
    }

    @Override
    public void start() {
        follower = new Thread(this::loadAndFollow, "verifiable-keys-feed");
        follower.setDaemon(true);
        follower.start();
    }

    @Override
    public void stop() {
        stopped.countDown();
        Thread thread = follower;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return follower != null && stopped.getCount() > 0;
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
            long everySegmentPassed = tokens.appliedByEverySegment(ApiKeyProjection.PROCESSOR);
            table.forEach(keys::load);
            position = everySegmentPassed < 0 ? null : GapAwareTrackingToken.newInstance(everySegmentPassed, Set.of());
            freshness.applied(position);
            log.info("{} keys loaded for verification; following the event store after index {}", keys.size(),
                    everySegmentPassed);
            return true;
        } catch (RuntimeException e) {
            log.warn("Loading the keys for verification failed; retrying: {}", e.toString());
            return false;
        }
    }

    private void follow() throws InterruptedException {
        try (BlockingStream<TrackedEventMessage<?>> events = eventStore.openStream(position)) {
            while (stopped.getCount() > 0) {
                if (events.hasNextAvailable(1, TimeUnit.SECONDS)) {
                    TrackedEventMessage<?> event = events.nextAvailable();
                    apply(event);
                    position = event.trackingToken();
                    freshness.applied(position);
                }
            }
        } catch (RuntimeException e) {
            log.warn("Following the event store for verification failed; resuming: {}", e.toString());
            pauseAfterFailure();
        }
    }

    private void apply(TrackedEventMessage<?> event) {
        if (event instanceof DomainEventMessage<?> domainEvent
                && !ApiKeyUsageStream.TYPE.equals(domainEvent.getType())) {
            keys.apply(domainEvent.getPayload(), domainEvent.getSequenceNumber());
        }
    }

    private void pauseAfterFailure() throws InterruptedException {
        if (stopped.await(RETRY_MILLIS, TimeUnit.MILLISECONDS)) {
            throw new InterruptedException("stopped");
        }
    }
}

package dev.apikeys.query.verify;

import dev.apikeys.events.ApiKeyCreditsConsumed;
import dev.apikeys.events.ApiKeyUsageStream;
import dev.apikeys.events.ApiKeyUsed;
import dev.apikeys.events.Credits;
import dev.apikeys.events.EventMetadata;
import dev.apikeys.events.KeyState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.messaging.MetaData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * Records that keys were used, off the verification's path: a verification notes the moment in
 * memory; every tick the due keys' facts are appended to their usage streams, at most one
 * {@link ApiKeyUsed} per key and flush interval (and after it one {@link ApiKeyCreditsConsumed}
 * for a key with credits), in batched inserts of at most {@value #MAX_BATCH}
 * keys a transaction. The read model and the audit stream take them from there. A graceful stop
 * records what is pending.
 */
@Component
class UsageRecorder implements SchedulingConfigurer, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(UsageRecorder.class);
    /** Keys a transaction: a bounded statement, and a transaction the processors' gap window covers. */
    static final int MAX_BATCH = 1_000;

    private final Map<UUID, Use> unrecorded = new ConcurrentHashMap<>();
    /** When each key's last fact was appended (System.nanoTime), for keys recorded within the interval. */
    private final Map<UUID, Long> recordedAt = new HashMap<>();
    private final EventStore eventStore;
    private final VerifiableKeys keys;
    private final Duration interval;
    private volatile boolean running;

    /**
     * The latest use of a key not recorded yet, the service that verified it, and the credits
     * consumed since the last record, of the grant they were taken from (null for none).
     */
    private record Use(UUID keyId, String userId, Instant at, String verifiedBy, Credits grant, long consumed) {

        /** Consumption of a grant a later one replaced counts against nothing, so it is not kept. */
        Use merge(Use other) {
            Use latest = other.at.isAfter(at) ? other : this;
            long sameGrant = grant != null && other.grant != null && grant.grantedAt().equals(other.grant.grantedAt())
                    ? consumed + other.consumed
                    : newerGrant(other).consumed;
            return new Use(keyId, userId, latest.at, latest.verifiedBy, newerGrant(other).grant, sameGrant);
        }

        private Use newerGrant(Use other) {
            if (grant == null) {
                return other;
            }
            return other.grant != null && other.grant.grantedAt().isAfter(grant.grantedAt()) ? other : this;
        }
    }

    UsageRecorder(EventStore eventStore, VerifiableKeys keys, VerificationProperties properties) {
        this.eventStore = eventStore;
        this.keys = keys;
        this.interval = properties.usage().flushInterval();
    }

    /**
     * Never blocks: the verification that calls it is on the hot path.
     *
     * @param grant the credits it consumed {@code consumed} of; null for a key with unlimited credits
     */
    void used(KeyState key, Instant at, String verifiedBy, Credits grant, long consumed) {
        unrecorded.merge(key.keyId(), new Use(key.keyId(), key.userId(), at, verifiedBy, grant, consumed), Use::merge);
    }

    /** Ticks five times an interval, so a key is recorded at most a fifth of an interval late. */
    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        long tick = Math.max(10, Math.min(1000, interval.toMillis() / 5));
        tasks.addFixedDelayTask(this::flushDue, Duration.ofMillis(tick));
    }

    @Override
    public void start() {
        running = true;
    }

    /** Records what is left before the store closes, interval or not: a restart loses no use. */
    @Override
    public void stop() {
        running = false;
        flush(List.copyOf(unrecorded.keySet()));
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private synchronized void flushDue() {
        long now = System.nanoTime();
        recordedAt.values().removeIf(at -> now - at >= interval.toNanos());
        flush(unrecorded.keySet().stream().filter(keyId -> !recordedAt.containsKey(keyId)).toList());
    }

    private synchronized void flush(List<UUID> keyIds) {
        List<Use> uses = new ArrayList<>();
        keyIds.forEach(keyId -> {
            Use use = unrecorded.remove(keyId);
            if (use != null) {
                uses.add(use);
            }
        });
        for (int from = 0; from < uses.size(); from += MAX_BATCH) {
            if (!append(uses.subList(from, Math.min(uses.size(), from + MAX_BATCH)))) {
                putBack(uses.subList(Math.min(uses.size(), from + MAX_BATCH), uses.size()));
                return;
            }
        }
    }

    /**
     * Appends the batch in one transaction. Should another instance have appended to one of its
     * streams, the batch is split until that key is alone, so the others are recorded now and it
     * on a later tick.
     *
     * @return false if the store could not take it (out of reach, say): the rest waits a tick too
     */
    private boolean append(List<Use> batch) {
        try {
            eventStore.publish(facts(batch));
            long now = System.nanoTime();
            batch.forEach(use -> recordedAt.put(use.keyId(), now));
            return true;
        } catch (ConcurrencyException | AggregateStreamCreationException e) {
            if (batch.size() == 1) {
                putBack(batch);
                return true;
            }
            int half = batch.size() / 2;
            if (!append(batch.subList(0, half))) {
                putBack(batch.subList(half, batch.size()));
                return false;
            }
            return append(batch.subList(half, batch.size()));
        } catch (RuntimeException e) {
            putBack(batch);
            log.warn("Recording the use of {} keys failed; retrying: {}", batch.size(), e.toString());
            return false;
        }
    }

    private void putBack(List<Use> uses) {
        uses.forEach(use -> unrecorded.merge(use.keyId(), use, Use::merge));
    }

    /**
     * Each fact is the next of its key's usage stream as the keys in memory know it: should another
     * instance have appended one meanwhile, the append fails, and a later tick tries again. So the
     * credits a consumption fact says are left are reckoned from every fact before it. A key
     * deleted since its use is no longer in memory; the store says where its usage stream ends,
     * and its consumption is not recorded.
     */
    private List<DomainEventMessage<?>> facts(List<Use> uses) {
        List<DomainEventMessage<?>> facts = new ArrayList<>();
        for (Use use : uses) {
            KeyState key = keys.byId(use.keyId());
            String stream = ApiKeyUsageStream.of(use.keyId());
            long last = key != null
                    ? key.position().usage()
                    : eventStore.lastSequenceNumberFor(stream).orElse(-1L);
            facts.add(fact(stream, ++last, new ApiKeyUsed(use.keyId(), use.userId(), use.at()), use));
            // Every use of a key with credits, even at cost 0: the command side reads what is left
            // from a key's last two facts (LatestUsage).
            Long left = key == null || use.grant() == null ? null : leftAfter(key.settings().credits(), use);
            if (left != null) {
                facts.add(fact(stream, ++last, new ApiKeyCreditsConsumed(use.keyId(), use.userId(),
                        use.grant().grantedAt(), use.grant().granted(), use.consumed(), left, use.at()), use));
            }
        }
        return facts;
    }

    /** What the use leaves of its grant; null when a later grant replaced it, so it counts against nothing. */
    private static Long leftAfter(Credits recorded, Use use) {
        if (recorded == null || use.grant().grantedAt().isBefore(recorded.grantedAt())) {
            return null;
        }
        long before = use.grant().grantedAt().equals(recorded.grantedAt())
                ? recorded.remaining()
                : use.grant().granted();
        return Math.max(0, before - use.consumed());
    }

    private static DomainEventMessage<?> fact(String stream, long sequence, Object payload, Use use) {
        return new GenericDomainEventMessage<>(ApiKeyUsageStream.TYPE, stream, sequence, payload,
                MetaData.with(EventMetadata.ACTOR_ID, use.verifiedBy())
                        .and(EventMetadata.CORRELATION_ID, UUID.randomUUID().toString()));
    }
}

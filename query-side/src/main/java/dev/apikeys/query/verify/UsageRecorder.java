package dev.apikeys.query.verify;

import dev.apikeys.runtime.persistence.AppendAnnouncer;
import dev.apikeys.events.ApiKeyUsageStream;
import dev.apikeys.events.ApiKeyUsed;
import dev.apikeys.events.EventMetadata;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.MetaData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Records that keys were used, off the verification's path: a verification only notes the moment
 * in memory; a flusher appends one {@link ApiKeyUsed} per key and flush interval to the key's usage
 * stream in the event store, where the read model (last_used_at) and the audit stream
 * (apikey.used) take it from, and a replay finds it again. A key used again within the interval
 * waits for the interval to end; one not used for an interval is recorded at the next tick.
 */
@Component
class UsageRecorder implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(UsageRecorder.class);

    private final Map<UUID, Use> unrecorded = new ConcurrentHashMap<>();
    /** When each key's last fact was appended (System.nanoTime), for keys recorded within the interval. */
    private final Map<UUID, Long> recordedAt = new HashMap<>();
    private final EventStore eventStore;
    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final AppendAnnouncer announcer;
    private final Duration interval;
    private ScheduledExecutorService flusher;

    /** The latest use of a key not recorded yet, and the service that verified it. */
    private record Use(VerifiableKey key, Instant at, String verifiedBy) {

        Use later(Use other) {
            return other.at.isAfter(at) ? other : this;
        }
    }

    UsageRecorder(EventStore eventStore, NamedParameterJdbcTemplate jdbc, TransactionTemplate transactions,
            AppendAnnouncer announcer, @Value("${apikeys.usage.flush-interval:5s}") Duration interval) {
        this.eventStore = eventStore;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.announcer = announcer;
        this.interval = interval;
    }

    /** Never blocks: the verification that calls it is on the hot path. */
    void used(VerifiableKey key, Instant at, String verifiedBy) {
        unrecorded.merge(key.keyId(), new Use(key, at, verifiedBy), Use::later);
    }

    @Override
    public void start() {
        flusher = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "usage-flusher");
            thread.setDaemon(true);
            return thread;
        });
        long tick = Math.max(10, Math.min(1000, interval.toMillis() / 5));
        flusher.scheduleWithFixedDelay(this::flushDue, tick, tick, TimeUnit.MILLISECONDS);
    }

    /** Records what is left before the store closes, interval or not: a restart loses no use. */
    @Override
    public void stop() {
        flusher.shutdown();
        try {
            if (flusher.awaitTermination(10, TimeUnit.SECONDS)) {
                flush(List.copyOf(unrecorded.keySet()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return flusher != null && !flusher.isShutdown();
    }

    private void flushDue() {
        long now = System.nanoTime();
        recordedAt.values().removeIf(at -> now - at >= interval.toNanos());
        flush(unrecorded.keySet().stream().filter(keyId -> !recordedAt.containsKey(keyId)).toList());
    }

    private void flush(List<UUID> keyIds) {
        List<Use> uses = new ArrayList<>();
        keyIds.forEach(keyId -> {
            Use use = unrecorded.remove(keyId);
            if (use != null) {
                uses.add(use);
            }
        });
        if (uses.isEmpty()) {
            return;
        }
        try {
            transactions.executeWithoutResult(status -> eventStore.publish(facts(uses)));
            announcer.announce();
            long now = System.nanoTime();
            uses.forEach(use -> recordedAt.put(use.key().keyId(), now));
        } catch (RuntimeException e) {
            // Another instance appended to one of the streams, or the store is down: next tick.
            uses.forEach(use -> unrecorded.merge(use.key().keyId(), use, Use::later));
            log.warn("Recording the use of {} keys failed; retrying: {}", uses.size(), e.toString());
        }
    }

    private List<DomainEventMessage<ApiKeyUsed>> facts(List<Use> uses) {
        Map<String, Long> lastSequences = lastSequences(uses);
        return uses.stream()
                .map(use -> {
                    String stream = ApiKeyUsageStream.of(use.key().keyId());
                    return (DomainEventMessage<ApiKeyUsed>) new GenericDomainEventMessage<>(ApiKeyUsageStream.TYPE,
                            stream, lastSequences.getOrDefault(stream, -1L) + 1,
                            new ApiKeyUsed(use.key().keyId(), use.key().userId(), use.at()),
                            MetaData.with(EventMetadata.ACTOR_ID, use.verifiedBy())
                                    .and(EventMetadata.CORRELATION_ID, UUID.randomUUID().toString()));
                })
                .toList();
    }

    /** Each usage stream's last sequence number, read in one query through its unique index. */
    private Map<String, Long> lastSequences(List<Use> uses) {
        Map<String, Long> last = new HashMap<>();
        jdbc.query("""
                select aggregate_identifier, max(sequence_number) as last_sequence
                  from event_store.domain_event_entry
                 where aggregate_identifier in (:streams)
                 group by aggregate_identifier
                """, Map.of("streams", uses.stream().map(use -> ApiKeyUsageStream.of(use.key().keyId())).toList()),
                (RowCallbackHandler) row -> last.put(row.getString("aggregate_identifier"),
                        row.getLong("last_sequence")));
        return last;
    }
}

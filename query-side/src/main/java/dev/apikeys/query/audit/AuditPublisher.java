package dev.apikeys.query.audit;

import dev.apikeys.events.ApiKeyCreated;
import dev.apikeys.events.ApiKeyDeleted;
import dev.apikeys.events.ApiKeyDisabled;
import dev.apikeys.events.ApiKeyEnabled;
import dev.apikeys.events.ApiKeyRotated;
import dev.apikeys.events.ApiKeyUsed;
import dev.apikeys.events.EventMetadata;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.stereotype.Component;

/**
 * Publishes every key event to the audit topic, at least once and in order per key. The handlers
 * only collect a batch's events; just before the batch's unit of work commits (and with it the
 * token and the per-key state) the batch is published: the keys' states are read in one query,
 * each event becomes a record in order and is sent asynchronously, the states are written back in
 * one statement, and the commit waits for Kafka to acknowledge every record. If any fails, the
 * batch rolls back and the processor retries it later, so the token never passes an unpublished
 * event. A catch-up of a million events is a few statements per thousand, not two per event.
 */
@Component
@ProcessingGroup(AuditPublisher.PROCESSOR)
class AuditPublisher {

    static final String PROCESSOR = "apikey-audit-publisher";

    private static final String PENDING = AuditPublisher.class.getName() + ".pending";

    private final AuditKeyStateTable states;
    private final AuditTopicProducer producer;
    private final AuditRecordEncoder encoder;
    private final EventStore eventStore;

    AuditPublisher(AuditKeyStateTable states, AuditTopicProducer producer, AuditProperties properties,
            EventStore eventStore) {
        this.states = states;
        this.producer = producer;
        this.encoder = new AuditRecordEncoder(properties.topic(), properties.source());
        this.eventStore = eventStore;
    }

    @EventHandler
    void on(ApiKeyCreated event, EventMessage<?> message, @SequenceNumber long sequence, UnitOfWork<?> unitOfWork) {
        pending(unitOfWork).add(new Audited(message, event.keyId(), sequence));
    }

    @EventHandler
    void on(ApiKeyDisabled event, EventMessage<?> message, @SequenceNumber long sequence, UnitOfWork<?> unitOfWork) {
        pending(unitOfWork).add(new Audited(message, event.keyId(), sequence));
    }

    @EventHandler
    void on(ApiKeyEnabled event, EventMessage<?> message, @SequenceNumber long sequence, UnitOfWork<?> unitOfWork) {
        pending(unitOfWork).add(new Audited(message, event.keyId(), sequence));
    }

    @EventHandler
    void on(ApiKeyDeleted event, EventMessage<?> message, @SequenceNumber long sequence, UnitOfWork<?> unitOfWork) {
        pending(unitOfWork).add(new Audited(message, event.keyId(), sequence));
    }

    @EventHandler
    void on(ApiKeyRotated event, EventMessage<?> message, @SequenceNumber long sequence, UnitOfWork<?> unitOfWork) {
        pending(unitOfWork).add(new Audited(message, event.keyId(), sequence));
    }

    /** Numbered in the key's usage stream, which cannot number the key's records: see {@link #record}. */
    @EventHandler
    void on(ApiKeyUsed event, EventMessage<?> message, @SequenceNumber long sequence, UnitOfWork<?> unitOfWork) {
        pending(unitOfWork).add(new Audited(message, event.keyId(), sequence));
    }

    /** A replay re-sends the whole history from a fresh state. */
    @ResetHandler
    void onReset() {
        states.deleteAll();
    }

    /** The batch's events; the first one registers their publication before the batch commits. */
    private List<Audited> pending(UnitOfWork<?> unitOfWork) {
        UnitOfWork<?> batch = unitOfWork.root();
        return batch.getOrComputeResource(PENDING, key -> {
            List<Audited> events = new ArrayList<>();
            batch.onPrepareCommit(committing -> publish(events));
            return events;
        });
    }

    private void publish(List<Audited> batch) {
        Set<UUID> keyIds = new LinkedHashSet<>();
        batch.forEach(audited -> keyIds.add(audited.keyId()));
        Map<UUID, AuditKeyState> known = new LinkedHashMap<>(states.load(keyIds));
        Set<AuditKeyState> changed = new LinkedHashSet<>();
        List<Future<RecordMetadata>> sends = new ArrayList<>(batch.size());
        for (Audited audited : batch) {
            AuditEvent event = audit(audited, known);
            changed.add(known.get(audited.keyId()));
            Future<RecordMetadata> send = producer.send(encoder.encode(event));
            if (send.isDone()) {
                // Already failed (Kafka unreachable within max.block.ms): fail the batch now rather than
                // make every later event of it wait out the same timeout.
                AuditTopicProducer.acknowledged(send);
            }
            sends.add(send);
        }
        states.save(changed);
        sends.forEach(AuditTopicProducer::acknowledged);
    }

    private AuditEvent audit(Audited audited, Map<UUID, AuditKeyState> known) {
        EventMessage<?> message = audited.message();
        long sequence = audited.sequence();
        Object payload = message.getPayload();
        if (payload instanceof ApiKeyCreated created) {
            AuditKeyState state = new AuditKeyState(created);
            known.put(created.keyId(), state);
            return event(message, "apikey.created",
                    record(state, message, created.createdAt(), () -> sequence).withRotatedFrom(created.rotatedFrom()));
        } else if (payload instanceof ApiKeyDisabled disabled) {
            return event(message, "apikey.disabled",
                    change(known, disabled.keyId(), AuditKeyState::disable, message, disabled.disabledAt(), sequence));
        } else if (payload instanceof ApiKeyEnabled enabled) {
            return event(message, "apikey.enabled",
                    change(known, enabled.keyId(), AuditKeyState::enable, message, enabled.enabledAt(), sequence));
        } else if (payload instanceof ApiKeyDeleted deleted) {
            return event(message, "apikey.deleted",
                    change(known, deleted.keyId(), AuditKeyState::delete, message, deleted.deletedAt(), sequence));
        } else if (payload instanceof ApiKeyRotated rotated) {
            return event(message, "apikey.rotated", change(known, rotated.keyId(),
                    state -> state.expireAt(rotated.expiresAt()), message, rotated.rotatedAt(), sequence)
                    .withReplacedBy(rotated.replacedBy()));
        }
        ApiKeyUsed used = (ApiKeyUsed) payload;
        return event(message, "apikey.used", record(state(known, used.keyId()), message, used.lastUsedAt(),
                () -> afterLastEventOf(used.keyId())).withLastUsedAt(used.lastUsedAt()));
    }

    private static AuditEvent event(EventMessage<?> message, String type, AuditRecord value) {
        return new AuditEvent(message.getIdentifier(), type, message.getTimestamp(), value);
    }

    private static AuditRecord change(Map<UUID, AuditKeyState> known, UUID keyId, Consumer<AuditKeyState> change,
            EventMessage<?> message, Instant occurredAt, long sequence) {
        AuditKeyState state = state(known, keyId);
        change.accept(state);
        return record(state, message, occurredAt, () -> sequence);
    }

    private static AuditKeyState state(Map<UUID, AuditKeyState> known, UUID keyId) {
        // Events of one key arrive in order, so the creation was seen; if not, retrying cannot help
        // either, but failing loudly beats publishing a record that describes nothing.
        AuditKeyState state = known.get(keyId);
        if (state == null) {
            throw new IllegalStateException("No audit state for key " + keyId);
        }
        return state;
    }

    /**
     * The record describing the key now, numbered by the key's count of records, which is saved with
     * the state in the batch's transaction. A usage fact's own sequence number counts the usage
     * stream, so it cannot number the record. A key published before records were counted had only
     * lifecycle records, so its first usage record follows the key's last event in the store.
     * Residual imprecision: lifecycle events appended after this usage fact and not yet published
     * have their numbers skipped, and consumers see a gap where nothing is missing; at most once per
     * such key, and never a repeated number.
     *
     * @param uncounted the sequence for a key not counted yet: new, or published before records were
     *        counted, when they were numbered by the key's events
     */
    private static AuditRecord record(AuditKeyState state, EventMessage<?> message, Instant occurredAt,
            LongSupplier uncounted) {
        long sequence = state.countRecord(uncounted);
        Object actorId = message.getMetaData().get(EventMetadata.ACTOR_ID);
        return state.toRecord(occurredAt, actorId == null ? null : actorId.toString(), sequence);
    }

    private long afterLastEventOf(UUID keyId) {
        return eventStore.lastSequenceNumberFor(keyId.toString())
                .orElseThrow(() -> new IllegalStateException("No events of key " + keyId)) + 1;
    }

    /** One event of a batch to publish, and its number in its stream. */
    private record Audited(EventMessage<?> message, UUID keyId, long sequence) {
    }
}

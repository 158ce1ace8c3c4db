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
import java.util.List;
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
 * Publishes every key event to the audit topic, at least once and in order per key. Records are
 * sent asynchronously through a batch; before the batch's unit of work commits (and with it the
 * token and the per-key state) it waits for Kafka to acknowledge every one. If any fails, the
 * batch rolls back and the processor retries it later, so the token never passes an unpublished
 * event.
 */
@Component
@ProcessingGroup(AuditPublisher.PROCESSOR)
class AuditPublisher {

    static final String PROCESSOR = "apikey-audit-publisher";

    private static final String PENDING_SENDS = AuditPublisher.class.getName() + ".pendingSends";

    private final AuditKeyStates states;
    private final AuditTopicProducer producer;
    private final AuditRecordEncoder encoder;
    private final EventStore eventStore;

    AuditPublisher(AuditKeyStates states, AuditTopicProducer producer, AuditProperties properties,
            EventStore eventStore) {
        this.states = states;
        this.producer = producer;
        this.encoder = new AuditRecordEncoder(properties.topic(), properties.source());
        this.eventStore = eventStore;
    }

    @EventHandler
    void on(ApiKeyCreated event, EventMessage<?> message, @SequenceNumber long sequence, UnitOfWork<?> unitOfWork) {
        AuditRecord created = record(new AuditKeyState(event), message, event.createdAt(), () -> sequence)
                .withRotatedFrom(event.rotatedFrom());
        publish(message, "apikey.created", created, unitOfWork);
    }

    @EventHandler
    void on(ApiKeyDisabled event, EventMessage<?> message, @SequenceNumber long sequence, UnitOfWork<?> unitOfWork) {
        publish(message, "apikey.disabled",
                change(event.keyId(), AuditKeyState::disable, message, event.disabledAt(), sequence), unitOfWork);
    }

    @EventHandler
    void on(ApiKeyEnabled event, EventMessage<?> message, @SequenceNumber long sequence, UnitOfWork<?> unitOfWork) {
        publish(message, "apikey.enabled",
                change(event.keyId(), AuditKeyState::enable, message, event.enabledAt(), sequence), unitOfWork);
    }

    @EventHandler
    void on(ApiKeyDeleted event, EventMessage<?> message, @SequenceNumber long sequence, UnitOfWork<?> unitOfWork) {
        publish(message, "apikey.deleted",
                change(event.keyId(), AuditKeyState::delete, message, event.deletedAt(), sequence), unitOfWork);
    }

    @EventHandler
    void on(ApiKeyRotated event, EventMessage<?> message, @SequenceNumber long sequence, UnitOfWork<?> unitOfWork) {
        AuditRecord rotated = change(event.keyId(), state -> state.expireAt(event.expiresAt()), message,
                event.rotatedAt(), sequence).withReplacedBy(event.replacedBy());
        publish(message, "apikey.rotated", rotated, unitOfWork);
    }

    /**
     * The event's own sequence number counts the usage stream, so it cannot number the record. A key
     * published before records were counted had only lifecycle records, so its first usage record
     * follows the key's last event in the store. Residual imprecision: lifecycle events appended
     * after this usage fact and not yet published have their numbers skipped, and consumers see a
     * gap where nothing is missing; at most once per such key, and never a repeated number.
     */
    @EventHandler
    void on(ApiKeyUsed event, EventMessage<?> message, UnitOfWork<?> unitOfWork) {
        AuditRecord used = record(state(event.keyId()), message, event.lastUsedAt(),
                () -> afterLastEventOf(event.keyId())).withLastUsedAt(event.lastUsedAt());
        publish(message, "apikey.used", used, unitOfWork);
    }

    /** A replay re-sends the whole history from a fresh state. */
    @ResetHandler
    void onReset() {
        states.deleteAllInBatch();
    }

    private AuditRecord change(UUID keyId, Consumer<AuditKeyState> change, EventMessage<?> message,
            Instant occurredAt, long sequence) {
        AuditKeyState state = state(keyId);
        change.accept(state);
        return record(state, message, occurredAt, () -> sequence);
    }

    private AuditKeyState state(UUID keyId) {
        // Events of one key arrive in order, so the creation was seen; if not, retrying cannot help
        // either, but failing loudly beats publishing a record that describes nothing.
        return states.findById(keyId).orElseThrow(() -> new IllegalStateException("No audit state for key " + keyId));
    }

    /**
     * The record describing the key now, numbered by the key's count of records, which is saved with
     * the state in the batch's transaction.
     *
     * @param uncounted the sequence for a key not counted yet: new, or published before records were
     *        counted, when they were numbered by the key's events
     */
    private AuditRecord record(AuditKeyState state, EventMessage<?> message, Instant occurredAt,
            LongSupplier uncounted) {
        long sequence = state.countRecord(uncounted);
        states.save(state);
        Object actorId = message.getMetaData().get(EventMetadata.ACTOR_ID);
        return state.toRecord(occurredAt, actorId == null ? null : actorId.toString(), sequence);
    }

    private long afterLastEventOf(UUID keyId) {
        return eventStore.lastSequenceNumberFor(keyId.toString())
                .orElseThrow(() -> new IllegalStateException("No events of key " + keyId)) + 1;
    }

    private void publish(EventMessage<?> message, String type, AuditRecord value, UnitOfWork<?> unitOfWork) {
        Future<RecordMetadata> send = producer.send(
                encoder.encode(new AuditEvent(message.getIdentifier(), type, message.getTimestamp(), value)));
        if (send.isDone()) {
            // Already failed (Kafka unreachable within max.block.ms): fail the batch now rather than
            // make every later event of it wait out the same timeout.
            AuditTopicProducer.acknowledged(send);
        }
        pendingSends(unitOfWork.root()).add(send);
    }

    /** The batch's sends; the first one registers the wait for all of them before commit. */
    private static List<Future<RecordMetadata>> pendingSends(UnitOfWork<?> batch) {
        return batch.getOrComputeResource(PENDING_SENDS, key -> {
            List<Future<RecordMetadata>> sends = new ArrayList<>();
            batch.onPrepareCommit(committing -> sends.forEach(AuditTopicProducer::acknowledged));
            return sends;
        });
    }
}

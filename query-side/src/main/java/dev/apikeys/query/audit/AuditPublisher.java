package dev.apikeys.query.audit;

import dev.apikeys.events.ApiKeyCreated;
import dev.apikeys.events.ApiKeyDeleted;
import dev.apikeys.events.ApiKeyDisabled;
import dev.apikeys.events.ApiKeyEnabled;
import dev.apikeys.events.EventMetadata;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
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

    AuditPublisher(AuditKeyStates states, AuditTopicProducer producer, AuditProperties properties) {
        this.states = states;
        this.producer = producer;
        this.encoder = new AuditRecordEncoder(properties.topic(), properties.source());
    }

    @EventHandler
    void on(ApiKeyCreated event, EventMessage<?> message, @SequenceNumber long sequence, UnitOfWork<?> unitOfWork) {
        AuditKeyState state = states.save(new AuditKeyState(event));
        publish(message, "apikey.created", state, event.createdAt(), sequence, unitOfWork);
    }

    @EventHandler
    void on(ApiKeyDisabled event, EventMessage<?> message, @SequenceNumber long sequence, UnitOfWork<?> unitOfWork) {
        publish(message, "apikey.disabled", change(event.keyId(), AuditKeyState::disable), event.disabledAt(),
                sequence, unitOfWork);
    }

    @EventHandler
    void on(ApiKeyEnabled event, EventMessage<?> message, @SequenceNumber long sequence, UnitOfWork<?> unitOfWork) {
        publish(message, "apikey.enabled", change(event.keyId(), AuditKeyState::enable), event.enabledAt(),
                sequence, unitOfWork);
    }

    @EventHandler
    void on(ApiKeyDeleted event, EventMessage<?> message, @SequenceNumber long sequence, UnitOfWork<?> unitOfWork) {
        publish(message, "apikey.deleted", change(event.keyId(), AuditKeyState::delete), event.deletedAt(),
                sequence, unitOfWork);
    }

    /** A replay re-sends the whole history from a fresh state. */
    @ResetHandler
    void onReset() {
        states.deleteAllInBatch();
    }

    private AuditKeyState change(UUID keyId, Consumer<AuditKeyState> change) {
        // Events of one key arrive in order, so the creation was seen; if not, retrying cannot help
        // either, but failing loudly beats publishing a record that describes nothing.
        AuditKeyState state = states.findById(keyId)
                .orElseThrow(() -> new IllegalStateException("No audit state for key " + keyId));
        change.accept(state);
        return states.save(state);
    }

    private void publish(EventMessage<?> message, String type, AuditKeyState state, Instant occurredAt,
            long sequence, UnitOfWork<?> unitOfWork) {
        Object actorId = message.getMetaData().get(EventMetadata.ACTOR_ID);
        AuditRecord value = state.toRecord(occurredAt, actorId == null ? null : actorId.toString(), sequence);
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

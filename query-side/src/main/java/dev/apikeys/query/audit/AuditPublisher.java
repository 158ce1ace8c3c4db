package dev.apikeys.query.audit;

import dev.apikeys.events.ApiKeyEvent;
import dev.apikeys.events.ApiKeyUsageStream;
import dev.apikeys.events.EventMetadata;
import dev.apikeys.events.KeyState;
import dev.apikeys.query.KeyStates;
import dev.apikeys.query.ReadModelTable;
import dev.apikeys.query.ReadModelTable.Column;
import dev.apikeys.query.processing.BatchProjection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Publishes every key event to the audit topic, at least once and in order per key. Just before a
 * batch commits (with its token and the keys' states), the keys' states are read in one query,
 * each event is folded into its key's state and sent as a record of the key after it, the states
 * are written back in one statement, and the commit waits for Kafka to acknowledge every record.
 * If any fails, the batch rolls back and is retried: the token never passes an unpublished event.
 */
@Component
@ProcessingGroup(AuditPublisher.PROCESSOR)
class AuditPublisher {

    static final String PROCESSOR = "apikey-audit-publisher";

    private static final String PENDING = AuditPublisher.class.getName() + ".pending";

    private final ReadModelTable<AuditedKey> keys;
    private final AuditTopicProducer producer;
    private final AuditRecordEncoder encoder;
    private final EventStore eventStore;

    /**
     * A key as the publisher knows it, in table {@code read_model.audit_key_state}: the read model's
     * state without the hash.
     *
     * @param nextSequence the number of the key's next record (lifecycle and usage alike); null for
     *        a key published before usage existed, whose records were numbered by its events
     */
    record AuditedKey(KeyState state, Long nextSequence) {

        UUID id() {
            return state.keyId();
        }
    }

    @Autowired
    AuditPublisher(JdbcTemplate jdbc, AuditTopicProducer producer, AuditProperties properties, EventStore eventStore) {
        this(auditedKeys(jdbc), producer, properties, eventStore);
    }

    AuditPublisher(ReadModelTable<AuditedKey> keys, AuditTopicProducer producer, AuditProperties properties,
            EventStore eventStore) {
        this.keys = keys;
        this.producer = producer;
        this.encoder = new AuditRecordEncoder(properties.topic(), properties.source());
        this.eventStore = eventStore;
    }

    static ReadModelTable<AuditedKey> auditedKeys(JdbcTemplate jdbc) {
        List<Column<AuditedKey>> columns = Stream.concat(
                KeyStates.withoutHash().stream().map(column -> column.of(AuditedKey::state)),
                Stream.of(new Column<AuditedKey>("next_sequence", "bigint", AuditedKey::nextSequence))).toList();
        return ReadModelTable.replacing(jdbc, "audit_key_state", columns, (row, number) -> new AuditedKey(
                KeyStates.read(row, false), row.getObject("next_sequence", Long.class)));
    }

    @EventHandler
    void on(ApiKeyEvent event, EventMessage<?> message, @SequenceNumber long sequence, UnitOfWork<?> unitOfWork) {
        pending(unitOfWork).add(new Audited(message, event, sequence));
    }

    /** A replay re-sends the whole history from a fresh state. */
    @ResetHandler
    void onReset() {
        keys.deleteAll(BatchProjection.LIVE);
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
        Set<UUID> ids = new LinkedHashSet<>();
        batch.forEach(audited -> ids.add(audited.event().keyId()));
        Map<UUID, AuditedKey> known = new LinkedHashMap<>(keys.load(ids, BatchProjection.LIVE, AuditedKey::id));
        Map<UUID, AuditedKey> changed = new LinkedHashMap<>();
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        for (Audited audited : batch) {
            UUID id = audited.event().keyId();
            AuditedKey before = known.getOrDefault(id, new AuditedKey(KeyState.NONE, 0L));
            KeyState after = before.state().apply(audited.event(), audited.sequence());
            if (!after.exists()) {
                // A key's events arrive in order, so its creation was seen: fail loudly rather than
                // publish a record that describes nothing.
                throw new IllegalStateException("No audit state for key " + id);
            }
            if (after == before.state()) {
                continue;
            }
            long sequence = before.nextSequence() != null ? before.nextSequence() : uncounted(audited);
            AuditedKey published = new AuditedKey(after, sequence + 1);
            known.put(id, published);
            changed.put(id, published);
            Future<RecordMetadata> send = producer.send(encoder.encode(audited.message(), audited.event().type(),
                    AuditRecord.of(after, audited.event(), actorOf(audited.message()), sequence)));
            if (send.isDone()) {
                // Failed already (Kafka out of reach): fail the batch now, not after each record's wait.
                AuditTopicProducer.acknowledged(send);
            }
            sends.add(send);
        }
        keys.save(changed.values(), BatchProjection.LIVE);
        sends.forEach(AuditTopicProducer::acknowledged);
    }

    /**
     * The number of a record of a key published before records were counted, when its records were
     * numbered by its events: a lifecycle event keeps its number, the first usage record follows the
     * key's last event. Lifecycle events appended after that usage fact and not yet published leave
     * a gap in the numbers where nothing is missing: at most once per such key, never a repeat.
     */
    private long uncounted(Audited audited) {
        if (!ApiKeyUsageStream.holds(audited.event())) {
            return audited.sequence();
        }
        UUID keyId = audited.event().keyId();
        return eventStore.lastSequenceNumberFor(keyId.toString())
                .orElseThrow(() -> new IllegalStateException("No events of key " + keyId)) + 1;
    }

    private static String actorOf(EventMessage<?> message) {
        Object actorId = message.getMetaData().get(EventMetadata.ACTOR_ID);
        return actorId == null ? null : actorId.toString();
    }

    /** One event of a batch to publish, and its number in its stream. */
    private record Audited(EventMessage<?> message, ApiKeyEvent event, long sequence) {
    }
}

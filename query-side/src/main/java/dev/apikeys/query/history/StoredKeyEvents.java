package dev.apikeys.query.history;

import dev.apikeys.events.ApiKeyUsageStream;
import dev.apikeys.events.EventMetadata;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.SerializedMetaData;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Reads keys' events straight from the command side's event store (schema event_store), so what it
 * answers is never behind a projection. A key's events are those of its own stream and of its usage
 * stream ({@link ApiKeyUsageStream}), merged in the order they were stored: by global index. The
 * lookup by aggregate identifier is served by the store's unique index on (aggregate_identifier,
 * sequence_number).
 */
@Component
class StoredKeyEvents {

    /** Keys per query: two identifiers each, well below what PostgreSQL takes as parameters. */
    private static final int KEYS_PER_QUERY = 500;

    private final NamedParameterJdbcTemplate jdbc;
    private final Serializer serializer;

    /** The serializer Axon stores events with, payload and metadata alike. */
    StoredKeyEvents(NamedParameterJdbcTemplate jdbc, @Qualifier("eventSerializer") Serializer serializer) {
        this.jdbc = jdbc;
        this.serializer = serializer;
    }

    /** The key's events in the order they were stored; empty for a key that never existed. */
    List<StoredKeyEvent> of(UUID keyId) {
        List<StoredKeyEvent> events = new ArrayList<>();
        read(List.of(keyId), row -> events.add(new StoredKeyEvent(payload(row), actorId(row))));
        return events;
    }

    /**
     * Each key's events in the order they were stored, without their metadata: decoding it would
     * double the cost of a user's thousands of events, and folding them needs only the payloads. A
     * key without events has no entry.
     */
    Map<UUID, List<Object>> payloadsOf(Collection<UUID> keyIds) {
        Map<UUID, List<Object>> events = new HashMap<>();
        read(keyIds, row -> events.computeIfAbsent(keyId(row), key -> new ArrayList<>()).add(payload(row)));
        return events;
    }

    /** Every event of the keys' streams, in the order they were stored within each batch of keys. */
    private void read(Collection<UUID> keyIds, RowCallbackHandler each) {
        List<UUID> ids = List.copyOf(keyIds);
        for (int from = 0; from < ids.size(); from += KEYS_PER_QUERY) {
            List<String> streams = new ArrayList<>();
            for (UUID keyId : ids.subList(from, Math.min(ids.size(), from + KEYS_PER_QUERY))) {
                streams.add(keyId.toString());
                streams.add(ApiKeyUsageStream.of(keyId));
            }
            jdbc.query("""
                    select aggregate_identifier, payload_type, payload_revision, payload, meta_data
                      from event_store.domain_event_entry
                     where aggregate_identifier in (:streams)
                     order by global_index
                    """, Map.of("streams", streams), each);
        }
    }

    private static UUID keyId(ResultSet row) throws SQLException {
        return UUID.fromString(ApiKeyUsageStream.keyIdOf(row.getString("aggregate_identifier")));
    }

    private Object payload(ResultSet row) throws SQLException {
        return serializer.deserialize(new SimpleSerializedObject<>(row.getBytes("payload"), byte[].class,
                row.getString("payload_type"), row.getString("payload_revision")));
    }

    private String actorId(ResultSet row) throws SQLException {
        byte[] metaData = row.getBytes("meta_data");
        Object actorId = metaData == null
                ? null
                : serializer.<byte[], MetaData>deserialize(new SerializedMetaData<>(metaData, byte[].class))
                        .get(EventMetadata.ACTOR_ID);
        return actorId == null ? null : actorId.toString();
    }
}

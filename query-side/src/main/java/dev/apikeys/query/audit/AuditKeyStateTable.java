package dev.apikeys.query.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.stereotype.Component;

/**
 * Table {@code read_model.audit_key_state}: the publisher's view of each key, read and written a
 * batch at a time (one query, one upsert), in the publisher's transaction.
 */
@Component
class AuditKeyStateTable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<String>> SCOPES = new TypeReference<>() {
    };

    private final JdbcTemplate jdbc;

    AuditKeyStateTable(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    Map<UUID, AuditKeyState> load(Collection<UUID> keyIds) {
        Map<UUID, AuditKeyState> states = new HashMap<>();
        if (keyIds.isEmpty()) {
            return states;
        }
        jdbc.query(connection -> {
            PreparedStatement statement = connection.prepareStatement("""
                    select key_id, user_id, organization_id, name, key_prefix, scopes, expires_at, disabled, deleted,
                           next_sequence
                      from read_model.audit_key_state where key_id = any(?)""");
            statement.setArray(1, connection.createArrayOf("uuid", keyIds.toArray()));
            return statement;
        }, (RowCallbackHandler) row -> {
            Timestamp expiresAt = row.getTimestamp("expires_at");
            Long nextSequence = row.getObject("next_sequence", Long.class);
            AuditKeyState state = new AuditKeyState(row.getObject("key_id", UUID.class), row.getString("user_id"),
                    row.getString("organization_id"), row.getString("name"), row.getString("key_prefix"),
                    scopes(row.getString("scopes")), expiresAt == null ? null : expiresAt.toInstant(),
                    row.getBoolean("disabled"), row.getBoolean("deleted"), nextSequence);
            states.put(state.keyId(), state);
        });
        return states;
    }

    void save(Collection<AuditKeyState> states) {
        if (states.isEmpty()) {
            return;
        }
        List<AuditKeyState> rows = List.copyOf(states);
        jdbc.execute((Connection connection) -> {
            try (PreparedStatement statement = connection.prepareStatement("""
                    insert into read_model.audit_key_state (key_id, user_id, organization_id, name, key_prefix,
                                                            scopes, expires_at, disabled, deleted, next_sequence)
                    select key_id, user_id, organization_id, name, key_prefix, cast(scopes as jsonb), expires_at,
                           disabled, deleted, next_sequence
                      from unnest(?::uuid[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::timestamptz[],
                                  ?::boolean[], ?::boolean[], ?::bigint[])
                           as row(key_id, user_id, organization_id, name, key_prefix, scopes, expires_at, disabled,
                                  deleted, next_sequence)
                    on conflict (key_id) do update
                       set expires_at = excluded.expires_at, disabled = excluded.disabled,
                           deleted = excluded.deleted, next_sequence = excluded.next_sequence""")) {
                int column = 1;
                statement.setArray(column++, array(connection, "uuid", rows, AuditKeyState::keyId));
                statement.setArray(column++, array(connection, "text", rows, AuditKeyState::userId));
                statement.setArray(column++, array(connection, "text", rows, AuditKeyState::organizationId));
                statement.setArray(column++, array(connection, "text", rows, AuditKeyState::name));
                statement.setArray(column++, array(connection, "text", rows, AuditKeyState::keyPrefix));
                statement.setArray(column++, array(connection, "text", rows, state -> json(state.scopes())));
                statement.setArray(column++, array(connection, "timestamptz", rows,
                        state -> timestamp(state.expiresAt())));
                statement.setArray(column++, array(connection, "boolean", rows, AuditKeyState::disabled));
                statement.setArray(column++, array(connection, "boolean", rows, AuditKeyState::deleted));
                statement.setArray(column, array(connection, "bigint", rows, AuditKeyState::nextSequence));
                statement.executeUpdate();
            }
            return null;
        });
    }

    void deleteAll() {
        jdbc.update("delete from read_model.audit_key_state");
    }

    private static Array array(Connection connection, String type, List<AuditKeyState> rows,
            Function<AuditKeyState, Object> column) throws SQLException {
        return connection.createArrayOf(type, rows.stream().map(column).toArray());
    }

    private static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private static String json(List<String> scopes) {
        try {
            return JSON.writeValueAsString(scopes);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A list of strings is always JSON", e);
        }
    }

    private static List<String> scopes(String json) {
        try {
            return JSON.readValue(json, SCOPES);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("scopes holds a JSON array of strings", e);
        }
    }
}

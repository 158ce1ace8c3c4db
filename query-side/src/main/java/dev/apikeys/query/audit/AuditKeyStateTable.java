package dev.apikeys.query.audit;

import static dev.apikeys.query.ReadModelColumns.array;
import static dev.apikeys.query.ReadModelColumns.instant;
import static dev.apikeys.query.ReadModelColumns.scopes;
import static dev.apikeys.query.ReadModelColumns.scopesJson;
import static dev.apikeys.query.ReadModelColumns.timestamp;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.stereotype.Component;

/**
 * Table {@code read_model.audit_key_state}: the publisher's view of each key, read and written a
 * batch at a time (one query, one upsert), in the publisher's transaction.
 */
@Component
class AuditKeyStateTable {

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
                    scopes(row.getString("scopes")), instant(expiresAt),
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
                statement.setArray(column++, array(connection, "text", rows, state -> scopesJson(state.scopes())));
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




}

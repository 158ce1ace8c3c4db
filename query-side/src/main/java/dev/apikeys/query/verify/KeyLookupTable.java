package dev.apikeys.query.verify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Table {@code read_model.key_lookup}: each key by the hash of its plaintext. Plain SQL, so the
 * writes join the processor's transaction and the start-up load streams rows instead of holding
 * entities.
 */
@Component
class KeyLookupTable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<String>> SCOPES = new TypeReference<>() {
    };

    private final NamedParameterJdbcTemplate jdbc;

    KeyLookupTable(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    void insert(VerifiableKey key) {
        jdbc.update("""
                insert into read_model.key_lookup (key_hash, key_id, user_id, organization_id, scopes, expires_at,
                                                   disabled, deleted, last_sequence)
                values (:hash, :id, :user, :organization, cast(:scopes as jsonb), :expires, :disabled, :deleted,
                        :sequence)
                on conflict do nothing
                """, new MapSqlParameterSource()
                .addValue("hash", key.keyHash())
                .addValue("id", key.keyId())
                .addValue("user", key.userId())
                .addValue("organization", key.organizationId())
                .addValue("scopes", json(key.scopes()))
                .addValue("expires", timestamp(key.expiresAt()))
                .addValue("disabled", key.disabled())
                .addValue("deleted", key.deleted())
                .addValue("sequence", key.sequence()));
    }

    /** The one sequence check makes a redelivered event a no-op. */
    void setDisabled(UUID keyId, boolean disabled, long sequence) {
        update(keyId, "disabled = :value", disabled, sequence);
    }

    void setDeleted(UUID keyId, long sequence) {
        update(keyId, "deleted = :value", true, sequence);
    }

    void setExpiresAt(UUID keyId, Instant expiresAt, long sequence) {
        update(keyId, "expires_at = :value", timestamp(expiresAt), sequence);
    }

    void deleteAll() {
        jdbc.getJdbcTemplate().update("delete from read_model.key_lookup");
    }

    void forEach(Consumer<VerifiableKey> action) {
        jdbc.getJdbcTemplate().query("""
                select key_hash, key_id, user_id, organization_id, scopes, expires_at, disabled, deleted,
                       last_sequence
                  from read_model.key_lookup
                """, (RowCallbackHandler) row -> action.accept(key(row)));
    }

    private void update(UUID keyId, String assignment, Object value, long sequence) {
        jdbc.update("update read_model.key_lookup set " + assignment + ", last_sequence = :sequence"
                        + " where key_id = :id and last_sequence < :sequence",
                new MapSqlParameterSource()
                        .addValue("id", keyId)
                        .addValue("value", value)
                        .addValue("sequence", sequence));
    }

    private static VerifiableKey key(ResultSet row) throws SQLException {
        Timestamp expiresAt = row.getTimestamp("expires_at");
        return new VerifiableKey(row.getObject("key_id", UUID.class), row.getString("key_hash"),
                row.getString("user_id"), row.getString("organization_id"), scopes(row.getString("scopes")),
                expiresAt == null ? null : expiresAt.toInstant(), row.getBoolean("disabled"),
                row.getBoolean("deleted"), row.getLong("last_sequence"));
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
            throw new IllegalStateException("key_lookup.scopes holds a JSON array of strings", e);
        }
    }
}

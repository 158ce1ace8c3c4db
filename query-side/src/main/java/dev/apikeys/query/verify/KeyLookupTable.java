package dev.apikeys.query.verify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Reads table {@code read_model.key_lookup} (each key by the hash of its plaintext, written by the
 * read-model processor), streaming its rows rather than holding entities.
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

    void forEach(Consumer<VerifiableKey> action) {
        jdbc.getJdbcTemplate().query("""
                select key_hash, key_id, user_id, organization_id, scopes, expires_at, disabled, deleted,
                       last_sequence
                  from read_model.key_lookup
                """, (RowCallbackHandler) row -> action.accept(key(row)));
    }

    private static VerifiableKey key(ResultSet row) throws SQLException {
        Timestamp expiresAt = row.getTimestamp("expires_at");
        return new VerifiableKey(row.getObject("key_id", UUID.class), row.getString("key_hash"),
                row.getString("user_id"), row.getString("organization_id"), scopes(row.getString("scopes")),
                expiresAt == null ? null : expiresAt.toInstant(), row.getBoolean("disabled"),
                row.getBoolean("deleted"), row.getLong("last_sequence"));
    }

    private static List<String> scopes(String json) {
        try {
            return JSON.readValue(json, SCOPES);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("key_lookup.scopes holds a JSON array of strings", e);
        }
    }
}

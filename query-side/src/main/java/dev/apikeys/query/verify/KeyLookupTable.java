package dev.apikeys.query.verify;

import static dev.apikeys.query.ReadModelColumns.instant;
import static dev.apikeys.query.ReadModelColumns.scopes;

import java.sql.ResultSet;
import java.sql.SQLException;
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
        return new VerifiableKey(row.getObject("key_id", UUID.class), row.getString("key_hash"),
                row.getString("user_id"), row.getString("organization_id"), scopes(row.getString("scopes")),
                instant(row.getTimestamp("expires_at")), row.getBoolean("disabled"),
                row.getBoolean("deleted"), row.getLong("last_sequence"));
    }
}

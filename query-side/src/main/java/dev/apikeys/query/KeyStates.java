package dev.apikeys.query;

import static dev.apikeys.query.ReadModelTable.instant;
import static dev.apikeys.query.ReadModelTable.strings;
import static dev.apikeys.query.ReadModelTable.stringsJson;
import static dev.apikeys.query.ReadModelTable.stringsOrNull;
import static dev.apikeys.query.ReadModelTable.timestamp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.apikeys.events.Credits;
import dev.apikeys.events.KeyPosition;
import dev.apikeys.events.KeySettings;
import dev.apikeys.events.KeyState;
import dev.apikeys.events.RateLimit;
import dev.apikeys.query.ReadModelTable.Column;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.transaction.support.TransactionOperations;

/**
 * How the read model keeps {@link KeyState}s: one row per key, in table {@code read_model.api_key}
 * (what GET lists and what verification loads its keys from) and, without the key's hash, in the
 * audit publisher's table. The expiry a key was issued with is the command side's concern and is
 * not kept.
 */
public final class KeyStates {

    /** The read model's keys: every key ever created, deleted ones too. */
    public static final String READ_MODEL = "api_key";

    private static final List<Column<KeyState>> SHOWN = List.of(
            new Column<>("id", "uuid", KeyState::keyId),
            new Column<>("user_id", "text", KeyState::userId),
            new Column<>("organization_id", "text", KeyState::organizationId),
            new Column<>("name", "text", KeyState::name),
            new Column<>("key_prefix", "text", KeyState::keyPrefix),
            new Column<>("scopes", "jsonb", key -> stringsJson(key.scopes())),
            new Column<>("created_at", "timestamptz", key -> timestamp(key.createdAt())),
            new Column<>("updated_at", "timestamptz", key -> timestamp(key.updatedAt())),
            new Column<>("last_used_at", "timestamptz", key -> timestamp(key.lastUsedAt())),
            new Column<>("expires_at", "timestamptz", key -> timestamp(key.expiresAt())),
            new Column<>("disabled", "boolean", KeyState::disabled),
            new Column<>("deleted", "boolean", KeyState::deleted),
            new Column<>("last_sequence", "bigint", key -> key.position().lifecycle()),
            new Column<>("usage_sequence", "bigint", key -> key.position().usage()),
            new Column<>("metadata", "text", key -> key.settings().metadata()),
            new Column<>("allowed_cidrs", "jsonb", key -> stringsJson(key.settings().allowedCidrs())),
            new Column<>("rate_limit", "integer", key -> key.settings().rateLimit() == null
                    ? null
                    : key.settings().rateLimit().limit()),
            new Column<>("rate_limit_seconds", "integer", key -> key.settings().rateLimit() == null
                    ? null
                    : key.settings().rateLimit().durationSeconds()),
            new Column<>("credits", "jsonb", key -> creditsJson(key.settings().credits())));

    /** Credits' grant times round-trip to the nanosecond: the grant they name must match exactly. */
    private static final ObjectMapper JSON = JsonMapper.builder().addModule(new JavaTimeModule()).build();
    /** Rows a streamed read holds at a time. */
    private static final int STREAMED_ROWS = 10_000;
    /** Different sets of scopes a load keeps one list of, at most: a bound on what sharing holds. */
    private static final int SHARED_SCOPE_LISTS = 10_000;

    private static final Column<KeyState> HASH = new Column<>("key_hash", "text", KeyState::keyHash);

    private KeyStates() {
    }

    /** The columns of a key's state but its hash, the id first. */
    public static List<Column<KeyState>> withoutHash() {
        return SHOWN;
    }

    /** The columns of a key's state, the id first, the hash last. */
    public static List<Column<KeyState>> withHash() {
        List<Column<KeyState>> columns = new ArrayList<>(SHOWN);
        columns.add(HASH);
        return List.copyOf(columns);
    }

    /**
     * Every key of the read model that is not deleted, with what verification keeps of it (the rest
     * null), streamed rather than held: PostgreSQL's driver reads a result in parts only with a
     * fetch size, inside a transaction. Keys with the same scopes share one list, up to
     * {@value #SHARED_SCOPE_LISTS} different ones.
     */
    public static void forEachVerifiable(JdbcTemplate jdbc, TransactionOperations transactions,
            Consumer<KeyState> action) {
        JdbcTemplate streaming = new JdbcTemplate(jdbc.getDataSource());
        streaming.setFetchSize(STREAMED_ROWS);
        Map<String, List<String>> scopeLists = new HashMap<>();
        transactions.executeWithoutResult(status -> streaming.query("""
                select id, user_id, organization_id, key_hash, scopes, expires_at, disabled, last_sequence,
                       usage_sequence, metadata, allowed_cidrs, rate_limit, rate_limit_seconds, credits
                  from read_model.api_key where not deleted""", (RowCallbackHandler) row -> {
            String json = row.getString("scopes");
            List<String> scopes = scopeLists.get(json);
            if (scopes == null) {
                scopes = List.copyOf(strings(json));
                if (scopeLists.size() < SHARED_SCOPE_LISTS) {
                    scopeLists.put(json, scopes);
                }
            }
            action.accept(new KeyState(row.getObject("id", UUID.class), row.getString("user_id"),
                    row.getString("organization_id"), null, null, row.getString("key_hash"), scopes, null, null,
                    instant(row.getTimestamp("expires_at")), null, null, row.getBoolean("disabled"), false,
                    new KeyPosition(row.getLong("last_sequence"), row.getLong("usage_sequence")), settings(row)));
        }));
    }

    /** A key's state from a row of either table. */
    public static KeyState read(ResultSet row, boolean withHash) throws SQLException {
        return new KeyState(row.getObject("id", UUID.class), row.getString("user_id"),
                row.getString("organization_id"), row.getString("name"), row.getString("key_prefix"),
                withHash ? row.getString("key_hash") : null, strings(row.getString("scopes")),
                instant(row.getTimestamp("created_at")), instant(row.getTimestamp("updated_at")),
                instant(row.getTimestamp("expires_at")), null, instant(row.getTimestamp("last_used_at")),
                row.getBoolean("disabled"), row.getBoolean("deleted"),
                new KeyPosition(row.getLong("last_sequence"), row.getLong("usage_sequence")), settings(row));
    }

    /** The settings of a row that holds them. */
    public static KeySettings settings(ResultSet row) throws SQLException {
        String metadata = row.getString("metadata");
        List<String> allowedCidrs = stringsOrNull(row.getString("allowed_cidrs"));
        RateLimit rateLimit = row.getObject("rate_limit") == null
                ? null
                : new RateLimit(row.getInt("rate_limit"), row.getInt("rate_limit_seconds"));
        Credits credits = credits(row.getString("credits"));
        return metadata == null && allowedCidrs == null && rateLimit == null && credits == null
                ? KeySettings.NONE
                : new KeySettings(metadata, allowedCidrs, rateLimit, credits);
    }

    private static String creditsJson(Credits credits) {
        try {
            return credits == null ? null : JSON.writeValueAsString(credits);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Credits are always JSON", e);
        }
    }

    private static Credits credits(String json) {
        try {
            return json == null ? null : JSON.readValue(json, Credits.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A credits column holds the JSON of Credits", e);
        }
    }
}

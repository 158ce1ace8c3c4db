package dev.apikeys.query.keys;

import static dev.apikeys.query.ReadModelTable.instant;
import static dev.apikeys.query.ReadModelTable.strings;

import dev.apikeys.events.KeySettings;
import dev.apikeys.query.KeyStates;
import dev.apikeys.runtime.api.ApiKeyResponse;
import dev.apikeys.runtime.api.CreditsView;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * A user's keys from the read model, read with plain JDBC straight into what GET answers (credits
 * as they stand now: refilled, if a refill came since the last use). Through
 * JPA, building and tracking entities took about a fifth of a GET's CPU. Served by index
 * (user_id, created_at desc).
 */
@Component
public class KeyRows {

    private final JdbcTemplate jdbc;
    private final Clock clock;

    KeyRows(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** The user's keys that are not deleted, newest first. */
    public List<ApiKeyResponse> liveKeysOf(String userId) {
        Instant now = clock.instant();
        return jdbc.query("""
                select id, created_at, updated_at, user_id, organization_id, name, key_prefix, scopes, last_used_at,
                       expires_at, disabled, metadata, allowed_cidrs, rate_limit, rate_limit_seconds, credits
                  from read_model.api_key
                 where user_id = ? and not deleted
                 order by created_at desc, id desc""", (row, number) -> {
            KeySettings settings = KeyStates.settings(row);
            return new ApiKeyResponse(row.getObject("id", UUID.class), instant(row.getTimestamp("created_at")),
                    instant(row.getTimestamp("updated_at")), row.getString("user_id"), row.getString("organization_id"),
                    row.getString("name"), row.getString("key_prefix"), strings(row.getString("scopes")),
                    instant(row.getTimestamp("last_used_at")), instant(row.getTimestamp("expires_at")),
                    row.getBoolean("disabled"), settings.metadata(), settings.allowedCidrs(), settings.rateLimit(),
                    CreditsView.of(settings.credits(), now));
        }, userId);
    }

    /** The ids of every key the user ever held, deleted ones too, newest first. */
    public List<UUID> idsOf(String userId) {
        return jdbc.queryForList("""
                select id from read_model.api_key where user_id = ? order by created_at desc, id desc""",
                UUID.class, userId);
    }
}

package dev.apikeys.command.quota;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The quota as one row per user in {@code event_store.key_quota}. The conditional update of the
 * upsert takes the row lock and re-checks the limit after any concurrent writer commits, so two creates on any
 * number of instances cannot both pass the last free place. MANDATORY: the count must change in
 * the transaction Axon's unit of work opened for the command, the one that appends its events.
 */
@Component
@Transactional(propagation = Propagation.MANDATORY, noRollbackFor = KeyQuotaExceeded.class)
class JdbcKeyQuota implements KeyQuota {

    private final JdbcTemplate jdbc;
    private final int maxKeysPerUser;

    JdbcKeyQuota(JdbcTemplate jdbc, KeyQuotaProperties properties) {
        this.jdbc = jdbc;
        this.maxKeysPerUser = properties.maxKeysPerUser();
    }

    /** One statement: the first key of a user inserts the row, a later one counts up if there is room. */
    @Override
    public void reserve(String userId) {
        int counted = jdbc.update("""
                insert into event_store.key_quota as quota (user_id, live_keys)
                select ?, 1 where ? > 0
                on conflict (user_id) do update set live_keys = quota.live_keys + 1 where quota.live_keys < ?""",
                userId, maxKeysPerUser, maxKeysPerUser);
        if (counted == 0) {
            throw new KeyQuotaExceeded(maxKeysPerUser);
        }
    }

    @Override
    public void release(String userId) {
        jdbc.update("update event_store.key_quota set live_keys = live_keys - 1 where user_id = ? and live_keys > 0",
                userId);
    }
}

package dev.apikeys.query.verify;

import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * What is left of keys' credit grants that no query-side instance reserved, in table
 * {@code read_model.credit_pool}: one row per key, for its latest grant, named by when it began.
 * Each change is one statement on the row, so concurrent instances take turns on it.
 */
@Component
class CreditReservations {

    /** What the grant has left unreserved: all it gave, when the row still holds an older grant. */
    private static final String LEFT = "(case when granted_at = ? then available else ? end)";
    private static final String RESERVE = "update read_model.credit_pool set available = " + LEFT + " - least(" + LEFT
            + ", ?), last_granted = least(" + LEFT + ", ?), granted_at = ?"
            + " where key_id = ? and granted_at <= ? returning last_granted, available";

    private final JdbcTemplate jdbc;

    CreditReservations(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * @param granted how many of what was asked this instance now holds
     * @param unreserved what the grant has left that no instance holds
     */
    record Reservation(long granted, long unreserved) {
    }

    /**
     * Reserves up to {@code wanted} credits of the grant that began at {@code grantedAt} (in
     * microseconds since the epoch) and gave {@code amount}. Nothing is granted when a later
     * grant is stored already.
     */
    Reservation reserve(UUID keyId, long grantedAt, long amount, long wanted) {
        List<Reservation> reserved = update(keyId, grantedAt, amount, wanted);
        if (reserved.isEmpty()) {
            jdbc.update("insert into read_model.credit_pool (key_id, granted_at, available, last_granted)"
                    + " values (?, ?, ?, 0) on conflict (key_id) do nothing", keyId, grantedAt, amount);
            reserved = update(keyId, grantedAt, amount, wanted);
        }
        return reserved.isEmpty() ? new Reservation(0, 0) : reserved.get(0);
    }

    /** Gives back credits this instance reserved and did not use, if the grant is still the key's. */
    void release(UUID keyId, long grantedAt, long unused) {
        jdbc.update("update read_model.credit_pool set available = available + ? where key_id = ? and granted_at = ?",
                unused, keyId, grantedAt);
    }

    private List<Reservation> update(UUID keyId, long grantedAt, long amount, long wanted) {
        return jdbc.query(RESERVE, (row, number) -> new Reservation(row.getLong("last_granted"),
                        row.getLong("available")),
                grantedAt, amount, grantedAt, amount, wanted, grantedAt, amount, wanted, grantedAt, keyId, grantedAt);
    }
}

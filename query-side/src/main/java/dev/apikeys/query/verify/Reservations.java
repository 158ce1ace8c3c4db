package dev.apikeys.query.verify;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * What the query-side instances reserved between them of keys' rate-limit windows and credit
 * grants: one row per key and pool, for the key's latest window or grant (its epoch). Each change
 * is one statement on the row, so concurrent instances take turns on it.
 */
@Component
class Reservations {

    /**
     * @param granted how much of what was asked this instance now holds
     * @param unreserved what the pool has left that no instance holds
     */
    record Reservation(long granted, long unreserved) {
    }

    /** What a window's row held for this window before: nothing, when it holds an older one. */
    private static final String BEFORE = "(case when window_start = :epoch then reserved else 0 end)";
    /** Up to what was asked, never past the limit, and never less than was reserved already. */
    private static final String AFTER = "greatest(" + BEFORE + ", least(" + BEFORE + " + :wanted, :size))";
    /** What a grant has left unreserved: all it gave, when the row holds an older grant. */
    private static final String LEFT = "(case when granted_at = :epoch then available else :size end)";

    /** The tables, each with its statements over parameters epoch, size, wanted, unused and key. */
    enum Pool {
        /** A rate-limit window's capacity, counted up as reserved; the limit may change within a window. */
        RATE_LIMIT_WINDOWS(
                "update read_model.rate_limit_window set reserved = " + AFTER + ", last_granted = " + AFTER
                        + " - " + BEFORE + ", window_start = :epoch where key_id = :key and window_start <= :epoch"
                        + " returning last_granted, greatest(0, :size - reserved)",
                "insert into read_model.rate_limit_window (key_id, window_start, reserved, last_granted)"
                        + " values (:key, :epoch, 0, 0) on conflict (key_id) do nothing",
                "update read_model.rate_limit_window set reserved = reserved - :unused"
                        + " where key_id = :key and window_start = :epoch and reserved >= :unused"),
        /** A credit grant, counted down as available. */
        CREDIT_GRANTS(
                "update read_model.credit_pool set available = " + LEFT + " - least(" + LEFT + ", :wanted),"
                        + " last_granted = least(" + LEFT + ", :wanted), granted_at = :epoch"
                        + " where key_id = :key and granted_at <= :epoch returning last_granted, available",
                "insert into read_model.credit_pool (key_id, granted_at, available, last_granted)"
                        + " values (:key, :epoch, :size, 0) on conflict (key_id) do nothing",
                "update read_model.credit_pool set available = available + :unused"
                        + " where key_id = :key and granted_at = :epoch");

        private final String reserve;
        private final String insert;
        private final String release;

        Pool(String reserve, String insert, String release) {
            this.reserve = reserve;
            this.insert = insert;
            this.release = release;
        }
    }

    private final NamedParameterJdbcTemplate jdbc;

    Reservations(JdbcTemplate jdbc) {
        this.jdbc = new NamedParameterJdbcTemplate(jdbc);
    }

    /**
     * Reserves up to {@code wanted} of the key's pool at {@code epoch} (a window's start in
     * seconds, a grant's in microseconds since the Unix epoch), which holds {@code size} in all.
     * Nothing is granted when the row holds a later epoch already (this instance is behind).
     */
    Reservation reserve(Pool pool, UUID keyId, long epoch, long size, long wanted) {
        Map<String, Object> parameters = Map.of("key", keyId, "epoch", epoch, "size", size, "wanted", wanted);
        List<Reservation> reserved = update(pool, parameters);
        if (reserved.isEmpty()) {
            jdbc.update(pool.insert, parameters);
            reserved = update(pool, parameters);
        }
        return reserved.isEmpty() ? new Reservation(0, 0) : reserved.get(0);
    }

    /** Gives back what this instance reserved and did not use, if the epoch is still the key's. */
    void release(Pool pool, UUID keyId, long epoch, long unused) {
        jdbc.update(pool.release, Map.of("key", keyId, "epoch", epoch, "unused", unused));
    }

    private List<Reservation> update(Pool pool, Map<String, Object> parameters) {
        return jdbc.query(pool.reserve, parameters, (row, number) -> new Reservation(row.getLong(1), row.getLong(2)));
    }
}

package dev.apikeys.query.verify;

import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The capacity of keys' rate-limit windows the query-side instances reserved between them, in
 * table {@code read_model.rate_limit_window}: one row per key, for its latest window. Each change
 * is one statement on the row, so concurrent instances take turns on it.
 */
@Component
class RateLimitReservations {

    /** What the row held for this window before this reservation: nothing, for an older window. */
    private static final String BEFORE = "(case when window_start = ? then reserved else 0 end)";
    /** Up to what was asked, never past the limit, and never less than was reserved already. */
    private static final String AFTER = "greatest(" + BEFORE + ", least(" + BEFORE + " + ?, ?))";
    private static final String RESERVE = "update read_model.rate_limit_window set reserved = " + AFTER
            + ", last_granted = " + AFTER + " - " + BEFORE + ", window_start = ?"
            + " where key_id = ? and window_start <= ? returning last_granted, reserved";

    private final JdbcTemplate jdbc;

    RateLimitReservations(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * @param granted how much of what was asked this instance now holds
     * @param reservedByAll how much of the window every instance holds, this reservation included
     */
    record Reservation(int granted, int reservedByAll) {
    }

    /**
     * Reserves up to {@code wanted} of the window's capacity. Nothing is granted when a later
     * window is stored already (this instance's clock is behind another's).
     */
    Reservation reserve(UUID keyId, long windowStart, int wanted, int limit) {
        List<Reservation> reserved = update(keyId, windowStart, wanted, limit);
        if (reserved.isEmpty()) {
            jdbc.update("insert into read_model.rate_limit_window (key_id, window_start, reserved, last_granted)"
                    + " values (?, ?, 0, 0) on conflict (key_id) do nothing", keyId, windowStart);
            reserved = update(keyId, windowStart, wanted, limit);
        }
        return reserved.isEmpty() ? new Reservation(0, limit) : reserved.get(0);
    }

    /** Gives back capacity this instance reserved and did not use, if the window is still the key's. */
    void release(UUID keyId, long windowStart, int unused) {
        jdbc.update("update read_model.rate_limit_window set reserved = reserved - ?"
                + " where key_id = ? and window_start = ? and reserved >= ?", unused, keyId, windowStart, unused);
    }

    private List<Reservation> update(UUID keyId, long windowStart, int wanted, int limit) {
        return jdbc.query(RESERVE, (row, number) -> new Reservation(row.getInt("last_granted"), row.getInt("reserved")),
                windowStart, windowStart, wanted, limit, windowStart, windowStart, wanted, limit, windowStart,
                windowStart, keyId, windowStart);
    }
}

package dev.apikeys.query.analytics;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.stereotype.Component;

/**
 * Table {@code read_model.key_activity_daily}. Plain SQL, so the counts join the analytics
 * processor's transaction and commit with its token.
 */
@Component
class KeyActivityTable {

    private final NamedParameterJdbcTemplate jdbc;

    KeyActivityTable(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Adds a batch's counts, one statement per row in one JDBC batch. Rows are locked in the map's
     * order, the same in every batch.
     */
    void add(SortedMap<OwnerDay, DailyActivity> increments) {
        SqlParameterSource[] rows = increments.entrySet().stream()
                .map(row -> new MapSqlParameterSource()
                        .addValue("user", row.getKey().userId())
                        .addValue("day", row.getKey().day())
                        .addValue("created", row.getValue().created())
                        .addValue("disabled", row.getValue().disabled())
                        .addValue("enabled", row.getValue().enabled())
                        .addValue("deleted", row.getValue().deleted())
                        .addValue("rotated", row.getValue().rotated())
                        .addValue("used", row.getValue().used()))
                .toArray(SqlParameterSource[]::new);
        jdbc.batchUpdate("""
                insert into read_model.key_activity_daily as counted
                       (user_id, day, created, disabled, enabled, deleted, rotated, used)
                values (:user, :day, :created, :disabled, :enabled, :deleted, :rotated, :used)
                on conflict (user_id, day) do update
                   set created = counted.created + excluded.created,
                       disabled = counted.disabled + excluded.disabled,
                       enabled = counted.enabled + excluded.enabled,
                       deleted = counted.deleted + excluded.deleted,
                       rotated = counted.rotated + excluded.rotated,
                       used = counted.used + excluded.used
                """, rows);
    }

    /** The owner's days within the range that have a row, in ascending order; days without one have no activity. */
    List<DailyActivity> daysOf(String userId, DayRange range) {
        return jdbc.query("""
                select day, created, disabled, enabled, deleted, rotated, used
                  from read_model.key_activity_daily
                 where user_id = :user and day between :from and :to
                 order by day
                """, Map.of("user", userId, "from", range.from(), "to", range.to()),
                (row, number) -> activity(row));
    }

    void deleteAll() {
        jdbc.getJdbcTemplate().update("delete from read_model.key_activity_daily");
    }

    private static DailyActivity activity(ResultSet row) throws SQLException {
        return new DailyActivity(row.getObject("day", LocalDate.class), row.getLong("created"),
                row.getLong("disabled"), row.getLong("enabled"), row.getLong("deleted"), row.getLong("rotated"),
                row.getLong("used"));
    }
}

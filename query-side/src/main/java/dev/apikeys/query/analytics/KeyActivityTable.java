package dev.apikeys.query.analytics;

import dev.apikeys.events.KeyPosition;
import dev.apikeys.query.ReadModelTable;
import dev.apikeys.query.ReadModelTable.Column;
import java.sql.Date;
import java.time.LocalDate;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Tables {@code read_model.key_activity_daily} (the counts per owner and UTC day; days without
 * activity have no row) and {@code read_model.key_activity_position} (how far each key's streams
 * are counted).
 */
@Component
class KeyActivityTable {

    static final String COUNTS = "key_activity_daily";
    static final String POSITIONS = "key_activity_position";

    private final JdbcTemplate jdbc;
    private final ReadModelTable<Map.Entry<UUID, KeyPosition>> positions;
    private final ReadModelTable<Map.Entry<OwnerDay, DailyActivity>> counts;

    KeyActivityTable(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.positions = ReadModelTable.replacing(jdbc, POSITIONS, List.of(
                new Column<>("key_id", "uuid", Map.Entry::getKey),
                new Column<>("lifecycle_sequence", "bigint", row -> row.getValue().lifecycle()),
                new Column<>("usage_sequence", "bigint", row -> row.getValue().usage())),
                (row, number) -> Map.entry(row.getObject("key_id", UUID.class),
                        new KeyPosition(row.getLong("lifecycle_sequence"), row.getLong("usage_sequence"))));
        this.counts = new ReadModelTable<>(jdbc, COUNTS, List.of(
                new Column<>("user_id", "text", row -> row.getKey().userId()),
                new Column<>("day", "date", row -> Date.valueOf(row.getKey().day())),
                new Column<>("created", "bigint", row -> row.getValue().created()),
                new Column<>("disabled", "bigint", row -> row.getValue().disabled()),
                new Column<>("enabled", "bigint", row -> row.getValue().enabled()),
                new Column<>("deleted", "bigint", row -> row.getValue().deleted()),
                new Column<>("rotated", "bigint", row -> row.getValue().rotated()),
                new Column<>("used", "bigint", row -> row.getValue().used())), null, """
                on conflict (user_id, day) do update
                   set created = existing.created + excluded.created,
                       disabled = existing.disabled + excluded.disabled,
                       enabled = existing.enabled + excluded.enabled,
                       deleted = existing.deleted + excluded.deleted,
                       rotated = existing.rotated + excluded.rotated,
                       used = existing.used + excluded.used""");
    }

    /** The owner's days within the range that have a row, in ascending order. */
    List<DailyActivity> daysOf(String userId, DayRange range) {
        return jdbc.query("""
                select day, created, disabled, enabled, deleted, rotated, used
                  from read_model.key_activity_daily
                 where user_id = ? and day between ? and ?
                 order by day
                """, (row, number) -> new DailyActivity(row.getObject("day", LocalDate.class), row.getLong("created"),
                row.getLong("disabled"), row.getLong("enabled"), row.getLong("deleted"), row.getLong("rotated"),
                row.getLong("used")), userId, Date.valueOf(range.from()), Date.valueOf(range.to()));
    }

    Map<UUID, KeyPosition> positions(Collection<UUID> keyIds, String suffix) {
        Map<UUID, KeyPosition> found = new HashMap<>();
        positions.load(keyIds, suffix, Map.Entry::getKey).forEach((id, row) -> found.put(id, row.getValue()));
        return found;
    }

    void savePositions(Map<UUID, KeyPosition> moved, String suffix) {
        positions.save(moved.entrySet(), suffix);
    }

    /** Rows are locked in the map's order, the same in every batch. */
    void add(SortedMap<OwnerDay, DailyActivity> increments, String suffix) {
        counts.save(increments.entrySet(), suffix);
    }

    void deleteAll(String suffix) {
        positions.deleteAll(suffix);
        counts.deleteAll(suffix);
    }
}

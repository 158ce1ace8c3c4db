package dev.apikeys.query.analytics;

import static dev.apikeys.query.ReadModelColumns.array;

import dev.apikeys.query.replay.BatchProjection;
import dev.apikeys.query.replay.KeyEvent;
import dev.apikeys.query.replay.ProjectionTables;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.stereotype.Component;

/**
 * Tables {@code read_model.key_activity_daily} (the counts) and {@code read_model.key_activity_position}
 * (how far each key's streams are counted). A count is idempotent through the positions: a batch
 * counts only the events after its keys' positions and moves them forward in the same statements'
 * transaction, so a redelivered event, or one a rebuild counted before the processor applies it
 * again, is not counted twice. A batch costs three statements whatever its size.
 */
@Component
class KeyActivityTable implements BatchProjection {

    private static final String COUNTS = "key_activity_daily";
    private static final String POSITIONS = "key_activity_position";

    private final JdbcTemplate jdbc;

    KeyActivityTable(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public String processorName() {
        return ActivityCounter.PROCESSOR;
    }

    /** The positions are read first, so they are locked first. */
    @Override
    public List<String> tables() {
        return List.of(POSITIONS, COUNTS);
    }

    @Override
    public void apply(List<KeyEvent> events, ProjectionTables tables) {
        Map<UUID, CountedUpTo> positions = positions(events, tables);
        Map<UUID, CountedUpTo> moved = new LinkedHashMap<>();
        SortedMap<OwnerDay, DailyActivity> increments = new TreeMap<>();
        for (KeyEvent event : events) {
            CountedEvent.of(event.payload()).ifPresent(counted -> {
                CountedUpTo position = positions.getOrDefault(counted.keyId(), CountedUpTo.NOTHING);
                if (!position.covers(counted, event.sequence())) {
                    CountedUpTo after = position.and(counted, event.sequence());
                    positions.put(counted.keyId(), after);
                    moved.put(counted.keyId(), after);
                    OwnerDay row = counted.ownerDay();
                    increments.compute(row, (key, sum) -> (sum == null ? DailyActivity.none(row.day()) : sum)
                            .plus(counted.activity()));
                }
            });
        }
        savePositions(moved, tables);
        add(increments, tables);
    }

    /** The owner's days within the range that have a row, in ascending order; days without one have no activity. */
    List<DailyActivity> daysOf(String userId, DayRange range) {
        return jdbc.query("""
                select day, created, disabled, enabled, deleted, rotated, used
                  from read_model.key_activity_daily
                 where user_id = ? and day between ? and ?
                 order by day
                """, (row, number) -> activity(row), userId, Date.valueOf(range.from()), Date.valueOf(range.to()));
    }

    void deleteAll() {
        jdbc.update("delete from " + ProjectionTables.LIVE.of(COUNTS));
        jdbc.update("delete from " + ProjectionTables.LIVE.of(POSITIONS));
    }

    private Map<UUID, CountedUpTo> positions(List<KeyEvent> events, ProjectionTables tables) {
        Object[] keyIds = events.stream()
                .map(event -> CountedEvent.of(event.payload()).map(CountedEvent::keyId))
                .flatMap(Optional::stream)
                .distinct()
                .toArray();
        Map<UUID, CountedUpTo> positions = new HashMap<>();
        if (keyIds.length == 0) {
            return positions;
        }
        jdbc.query(connection -> {
            PreparedStatement statement = connection.prepareStatement(
                    "select key_id, lifecycle_sequence, usage_sequence from " + tables.of(POSITIONS)
                            + " where key_id = any(?)");
            statement.setArray(1, connection.createArrayOf("uuid", keyIds));
            return statement;
        }, (RowCallbackHandler) row -> positions.put(row.getObject("key_id", UUID.class),
                new CountedUpTo(row.getLong("lifecycle_sequence"), row.getLong("usage_sequence"))));
        return positions;
    }

    private void savePositions(Map<UUID, CountedUpTo> moved, ProjectionTables tables) {
        if (moved.isEmpty()) {
            return;
        }
        List<Map.Entry<UUID, CountedUpTo>> rows = List.copyOf(moved.entrySet());
        jdbc.execute((Connection connection) -> {
            try (PreparedStatement statement = connection.prepareStatement("""
                    insert into %s as counted (key_id, lifecycle_sequence, usage_sequence)
                    select * from unnest(?::uuid[], ?::bigint[], ?::bigint[])
                    on conflict (key_id) do update
                       set lifecycle_sequence = excluded.lifecycle_sequence,
                           usage_sequence = excluded.usage_sequence""".formatted(tables.of(POSITIONS)))) {
                statement.setArray(1, array(connection, "uuid", rows, Map.Entry::getKey));
                statement.setArray(2, array(connection, "bigint", rows, row -> row.getValue().lifecycle()));
                statement.setArray(3, array(connection, "bigint", rows, row -> row.getValue().usage()));
                statement.executeUpdate();
            }
            return null;
        });
    }

    /** Rows are locked in the map's order, the same in every batch. */
    private void add(SortedMap<OwnerDay, DailyActivity> increments, ProjectionTables tables) {
        if (increments.isEmpty()) {
            return;
        }
        List<Map.Entry<OwnerDay, DailyActivity>> rows = List.copyOf(increments.entrySet());
        jdbc.execute((Connection connection) -> {
            try (PreparedStatement statement = connection.prepareStatement("""
                    insert into %s as counted (user_id, day, created, disabled, enabled, deleted, rotated, used)
                    select * from unnest(?::text[], ?::date[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[],
                                         ?::bigint[], ?::bigint[])
                    on conflict (user_id, day) do update
                       set created = counted.created + excluded.created,
                           disabled = counted.disabled + excluded.disabled,
                           enabled = counted.enabled + excluded.enabled,
                           deleted = counted.deleted + excluded.deleted,
                           rotated = counted.rotated + excluded.rotated,
                           used = counted.used + excluded.used""".formatted(tables.of(COUNTS)))) {
                int column = 1;
                statement.setArray(column++, array(connection, "text", rows, row -> row.getKey().userId()));
                statement.setArray(column++, array(connection, "date", rows, row -> Date.valueOf(row.getKey().day())));
                statement.setArray(column++, array(connection, "bigint", rows, row -> row.getValue().created()));
                statement.setArray(column++, array(connection, "bigint", rows, row -> row.getValue().disabled()));
                statement.setArray(column++, array(connection, "bigint", rows, row -> row.getValue().enabled()));
                statement.setArray(column++, array(connection, "bigint", rows, row -> row.getValue().deleted()));
                statement.setArray(column++, array(connection, "bigint", rows, row -> row.getValue().rotated()));
                statement.setArray(column, array(connection, "bigint", rows, row -> row.getValue().used()));
                statement.executeUpdate();
            }
            return null;
        });
    }


    private static DailyActivity activity(ResultSet row) throws SQLException {
        return new DailyActivity(row.getObject("day", LocalDate.class), row.getLong("created"),
                row.getLong("disabled"), row.getLong("enabled"), row.getLong("deleted"), row.getLong("rotated"),
                row.getLong("used"));
    }
}

package dev.apikeys.query.keys;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.apikeys.events.KeyPosition;
import dev.apikeys.events.KeyState;
import dev.apikeys.query.ReadModelTable;
import dev.apikeys.query.ReadModelTable.Column;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.stereotype.Component;

/**
 * Marks in a key's history, every {@value #EVERY} entries, in table {@code read_model.key_history_mark}:
 * where its own stream and its usage stream stand there, its state before it, and when the
 * entries since the previous mark happened. A page of history is read from the mark before it and
 * "as of" folds from a mark, rather than from the key's first event. Written by the read model's
 * projection as it applies the events.
 */
@Component
public class HistoryMarks {

    static final String TABLE = "key_history_mark";
    public static final long EVERY = 1000;

    /** Mark states are stored in their own JSON form, independent of the HTTP mapper's settings. */
    private static final ObjectMapper JSON = JsonMapper.builder().addModule(new JavaTimeModule()).build();

    /**
     * Entry {@code sequence} of a key's history is the first, in the order they were stored, of its
     * own stream's events from {@code lifecycle} and its usage stream's from {@code usage}.
     *
     * @param state the key as the entries before it leave it, without its hash
     * @param earliest the earliest time of the {@value #EVERY} entries before it; null if unknown
     * @param latest the latest time of those entries; null if unknown
     */
    public record Mark(UUID keyId, long sequence, long lifecycle, long usage, KeyState state, Instant earliest,
            Instant latest) {

        /** Where every key's history starts. */
        public static Mark start(UUID keyId) {
            return new Mark(keyId, 0, 0, 0, KeyState.NONE, null, null);
        }
    }

    private final JdbcTemplate jdbc;
    private final ReadModelTable<Mark> table;

    HistoryMarks(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.table = new ReadModelTable<>(jdbc, TABLE, List.of(
                new Column<>("key_id", "uuid", Mark::keyId),
                new Column<>("sequence", "bigint", Mark::sequence),
                new Column<>("lifecycle", "bigint", Mark::lifecycle),
                new Column<>("usage", "bigint", Mark::usage),
                new Column<>("state", "jsonb", mark -> json(mark.state())),
                new Column<>("earliest", "bigint", mark -> floorMicros(mark.earliest())),
                new Column<>("latest", "bigint", mark -> ceilMicros(mark.latest()))), null,
                "on conflict do nothing");
    }

    /**
     * A time as microseconds since the epoch (PostgreSQL keeps no finer), rounded down: an earliest
     * time kept is never after the real one, so no block is passed over that holds the instant.
     */
    static Long floorMicros(Instant at) {
        return at == null ? null : at.getEpochSecond() * 1_000_000 + at.getNano() / 1_000;
    }

    /** Rounded up: a latest time kept is never before the real one. */
    static Long ceilMicros(Instant at) {
        return at == null ? null : floorMicros(at) + (at.getNano() % 1_000 == 0 ? 0 : 1);
    }

    /** A column of microseconds since the epoch; null for SQL's. */
    static Instant micros(ResultSet row, String column) throws SQLException {
        long micros = row.getLong(column);
        return row.wasNull() ? null : Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }

    /** The number a key's next event has in its history, once {@code applied} of its events are. */
    static long entryAfter(KeyPosition applied) {
        return applied.lifecycle() + applied.usage() + 2;
    }

    void save(Collection<Mark> marks, String suffix) {
        table.save(marks, suffix);
    }

    void deleteAll(String suffix) {
        table.deleteAll(suffix);
    }

    /** The last mark of the key at or before its entry {@code sequence}; the start if there is none. */
    public Mark atOrBefore(UUID keyId, long sequence) {
        return jdbc.query("select * from read_model.key_history_mark where key_id = ? and sequence <= ?"
                + " order by sequence desc limit 1", (row, number) -> read(row), keyId, sequence)
                .stream().findFirst().orElse(Mark.start(keyId));
    }

    /** Every mark of the given keys, in order, by key; a key without marks is left out. */
    public Map<UUID, List<Mark>> of(List<UUID> keyIds) {
        Map<UUID, List<Mark>> marks = new LinkedHashMap<>();
        jdbc.query(connection -> {
            PreparedStatement statement = connection.prepareStatement("select * from read_model.key_history_mark"
                    + " where key_id = any(?) order by key_id, sequence");
            statement.setArray(1, connection.createArrayOf("uuid", keyIds.toArray()));
            return statement;
        }, (RowCallbackHandler) row -> {
            Mark mark = read(row);
            marks.computeIfAbsent(mark.keyId(), id -> new ArrayList<>()).add(mark);
        });
        return marks;
    }

    private static Mark read(ResultSet row) throws SQLException {
        try {
            return new Mark(row.getObject("key_id", UUID.class), row.getLong("sequence"), row.getLong("lifecycle"),
                    row.getLong("usage"), JSON.readValue(row.getString("state"), KeyState.class),
                    micros(row, "earliest"), micros(row, "latest"));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A mark's state is a key state in JSON", e);
        }
    }

    private static String json(KeyState state) {
        try {
            return JSON.writeValueAsString(new KeyState(state.keyId(), state.userId(), state.organizationId(),
                    state.name(), state.keyPrefix(), null, state.scopes(), state.createdAt(), state.updatedAt(),
                    state.expiresAt(), state.issuedExpiresAt(), state.lastUsedAt(), state.disabled(), state.deleted(),
                    state.position(), state.settings()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A key state is always JSON", e);
        }
    }
}

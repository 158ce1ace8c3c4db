package dev.apikeys.query;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.RowMapper;

/**
 * A table of schema read_model keyed by its first column, read and written a batch at a time in
 * one statement each: the ids travel as one array, and each column of the rows written as another,
 * unnested into an upsert.
 *
 * @param name the live table's name; a rebuild writes a copy under a suffixed name
 * @param onConflict what an upsert does with a row that exists: its {@code on conflict} clause
 */
public record ReadModelTable<T>(JdbcTemplate jdbc, String name, List<Column<T>> columns, RowMapper<T> rows,
        String onConflict) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };

    /** A column: its name, its SQL type, and its value in a row. */
    public record Column<T>(String name, String type, Function<T, Object> value) {

        /** The same column, of rows that hold a {@code T}. */
        public <R> Column<R> of(Function<R, T> part) {
            return new Column<>(name, type, row -> value.apply(part.apply(row)));
        }
    }

    /** Rows that exist are overwritten, but for their id. */
    public static <T> ReadModelTable<T> replacing(JdbcTemplate jdbc, String name, List<Column<T>> columns,
            RowMapper<T> rows) {
        String key = columns.get(0).name();
        return new ReadModelTable<>(jdbc, name, columns, rows, "on conflict (" + key + ") do update set "
                + columns.stream().skip(1).map(column -> column.name() + " = excluded." + column.name())
                        .collect(Collectors.joining(", ")));
    }

    /** The qualified name of this table, or of a copy of it. */
    public String qualified(String suffix) {
        return "read_model." + name + suffix;
    }

    /** The rows of the given keys that exist, by key. */
    public Map<UUID, T> load(Collection<UUID> ids, String suffix, Function<T, UUID> idOf) {
        Map<UUID, T> found = new HashMap<>();
        if (ids.isEmpty()) {
            return found;
        }
        jdbc.query(connection -> {
            PreparedStatement statement = connection.prepareStatement("select " + names() + " from "
                    + qualified(suffix) + " where " + columns.get(0).name() + " = any(?)");
            statement.setArray(1, connection.createArrayOf("uuid", ids.toArray()));
            return statement;
        }, (RowCallbackHandler) row -> {
            T read = rows.mapRow(row, 0);
            found.put(idOf.apply(read), read);
        });
        return found;
    }

    public void save(Collection<T> written, String suffix) {
        if (written.isEmpty()) {
            return;
        }
        List<T> batch = List.copyOf(written);
        String parameters = columns.stream().map(column -> "?::" + column.type() + "[]")
                .collect(Collectors.joining(", "));
        jdbc.execute((Connection connection) -> {
            try (PreparedStatement statement = connection.prepareStatement("insert into " + qualified(suffix)
                    + " as existing (" + names() + ") select * from unnest(" + parameters + ") " + onConflict)) {
                for (int i = 0; i < columns.size(); i++) {
                    statement.setArray(i + 1, array(connection, columns.get(i), batch));
                }
                statement.executeUpdate();
            }
            return null;
        });
    }

    public void deleteAll(String suffix) {
        jdbc.update("delete from " + qualified(suffix));
    }

    private String names() {
        return columns.stream().map(Column::name).collect(Collectors.joining(", "));
    }

    private static <T> Array array(Connection connection, Column<T> column, List<T> batch) throws SQLException {
        return connection.createArrayOf(column.type(), batch.stream().map(column.value()).toArray());
    }

    public static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    public static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    /** The strings as a JSON array; null for null. */
    public static String stringsJson(List<String> strings) {
        if (strings == null) {
            return null;
        }
        try {
            return JSON.writeValueAsString(strings);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A list of strings is always JSON", e);
        }
    }

    /** Null for a null column. */
    public static List<String> stringsOrNull(String json) {
        return json == null ? null : strings(json);
    }

    public static List<String> strings(String json) {
        try {
            return JSON.readValue(json, STRINGS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A scopes or allowed_cidrs column holds a JSON array of strings", e);
        }
    }
}

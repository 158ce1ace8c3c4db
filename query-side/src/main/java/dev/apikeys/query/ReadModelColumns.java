package dev.apikeys.query;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Array;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/**
 * How the read model's tables hold what the projections write, the same in every table: scopes
 * as a JSON array in a jsonb column, instants as timestamptz (null stays null), and one column of a
 * batch of rows as a single array parameter, for statements that write the batch from unnest(...).
 */
public final class ReadModelColumns {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<String>> SCOPES = new TypeReference<>() {
    };

    private ReadModelColumns() {
    }

    /** One column of the rows, as a SQL array of {@code type}. */
    public static <T> Array array(Connection connection, String type, List<T> rows, Function<T, Object> column)
            throws SQLException {
        return connection.createArrayOf(type, rows.stream().map(column).toArray());
    }

    public static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    public static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    public static String scopesJson(List<String> scopes) {
        try {
            return JSON.writeValueAsString(scopes);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A list of strings is always JSON", e);
        }
    }

    public static List<String> scopes(String json) {
        try {
            return JSON.readValue(json, SCOPES);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A scopes column holds a JSON array of strings", e);
        }
    }
}

package dev.apikeys.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The run's database on this machine's PostgreSQL, what the harness reads from it to check the
 * service, and the SQL that fills its event store as the command side would have, only a million
 * times faster.
 */
final class BenchDatabase {

    static final String HOST = "127.0.0.1";
    static final int PORT = 5432;
    static final String USER = "postgres";
    private static final String MAINTENANCE_URL = "jdbc:postgresql://" + HOST + ":" + PORT + "/postgres";
    /** Events per generated key: created, disabled, enabled, deleted. */
    static final int EVENTS_PER_KEY = 4;

    private final String name;

    /** @param name one database per kind of run, so a drill never drops the one a benchmark measures */
    BenchDatabase(String name) {
        this.name = name;
    }

    String name() {
        return name;
    }

    String url() {
        return "jdbc:postgresql://" + HOST + ":" + PORT + "/" + name;
    }

    /** Every run starts from an empty database, so no figure depends on what an earlier run left. */
    void recreate() throws SQLException {
        try (Connection connection = DriverManager.getConnection(MAINTENANCE_URL, USER, "");
                Statement statement = connection.createStatement()) {
            statement.execute("drop database if exists " + name + " with (force)");
            statement.execute("create database " + name);
        }
    }

    void execute(String sql) throws SQLException {
        try (Connection connection = connect();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** The server's postmaster, whose children are the backends serving every connection. */
    Optional<ProcessHandle> serverProcess() {
        try (Connection connection = connect();
                Statement statement = connection.createStatement();
                ResultSet directory = statement.executeQuery("show data_directory")) {
            directory.next();
            String pid = Files.readAllLines(Path.of(directory.getString(1), "postmaster.pid")).get(0).trim();
            return ProcessHandle.of(Long.parseLong(pid));
        } catch (SQLException | IOException | RuntimeException e) {
            // Another user's server, or no access to its directory: its share stays unknown.
            return Optional.empty();
        }
    }

    long countEvents() throws SQLException {
        try (Connection connection = connect();
                Statement statement = connection.createStatement();
                ResultSet count = statement.executeQuery("select count(*) from event_store.domain_event_entry")) {
            count.next();
            return count.getLong(1);
        }
    }

    /** @return the events after {@code globalIndex}, in the store's order */
    List<StoredEvent> eventsAfter(long globalIndex) throws SQLException {
        try (Connection connection = connect();
                PreparedStatement statement = connection.prepareStatement("""
                        select global_index, event_identifier, aggregate_identifier, sequence_number, type, payload_type
                          from event_store.domain_event_entry
                         where global_index > ?
                         order by global_index""")) {
            statement.setLong(1, globalIndex);
            List<StoredEvent> events = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    events.add(new StoredEvent(rows.getLong(1), rows.getString(2), rows.getString(3), rows.getLong(4),
                            rows.getString(5), rows.getString(6)));
                }
            }
            return events;
        }
    }

    /** @return every row of {@code read_model.api_key}, by key id */
    Map<String, KeyState> readModelKeys() throws SQLException {
        try (Connection connection = connect();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(
                        "select id, last_sequence, disabled, deleted from read_model.api_key")) {
            Map<String, KeyState> keys = new HashMap<>();
            while (rows.next()) {
                keys.put(rows.getString(1), new KeyState(rows.getLong(2), rows.getBoolean(3), rows.getBoolean(4)));
            }
            return keys;
        }
    }

    /**
     * Waits until nothing has been appended for {@code quietFor}. The generated events must not
     * be inserted while the service appends (usage facts land up to a flush interval after the
     * last verification): one statement takes its global indexes from the sequence over seconds,
     * so an event the service commits meanwhile lies beyond indexes not yet committed, and every
     * processor then carries those thousands of indexes as gaps.
     *
     * @return whether the store was quiet within {@code within}
     */
    boolean awaitQuietStore(Duration quietFor, Duration within) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        long head = head();
        long quietSince = System.nanoTime();
        while (System.nanoTime() - quietSince < quietFor.toNanos()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(250);
            long now = head();
            if (now != head) {
                head = now;
                quietSince = System.nanoTime();
            }
        }
        return true;
    }

    /** The event store's highest global index; -1 while it is empty. */
    long head() throws SQLException {
        try (Connection connection = connect();
                Statement statement = connection.createStatement();
                ResultSet head = statement.executeQuery(
                        "select coalesce(max(global_index), -1) from event_store.domain_event_entry")) {
            head.next();
            return head.getLong(1);
        }
    }

    /**
     * Appends {@code keys} keys' events in one statement, in the exact serialized form Axon's Jackson
     * serializer reads (as query-side's ReadModelRebuildBenchmark does), interleaved by key: every
     * key's created, then every key's disabled, and so on, the worst case for batching. Every key
     * ends deleted, so none of them lingers in the keys the service verifies against.
     *
     * @param owners prefix of the owners' user ids, 1,000 owners in all
     * @return the events appended
     */
    long appendKeyEvents(long keys, String owners) throws SQLException {
        try (Connection connection = connect();
                Statement statement = connection.createStatement()) {
            long appended = statement.executeUpdate("""
                    insert into event_store.domain_event_entry (global_index, event_identifier, aggregate_identifier,
                        sequence_number, type, payload_type, payload_revision, payload, meta_data, time_stamp)
                    select nextval('event_store.domain_event_entry_seq'), gen_random_uuid()::text, k.id::text, e.seq,
                           'ApiKey', e.type, '1', convert_to(e.payload, 'UTF8'),
                           convert_to('{"actor_id":"' || k.owner || '","correlation_id":"bench"}', 'UTF8'),
                           '2026-01-01T00:00:00Z'
                      from (select gen_random_uuid() as id, '%s-' || (n %% 1000) as owner, n
                              from generate_series(1, %d) n) k
                      cross join lateral (values
                        (0, 'dev.apikeys.events.ApiKeyCreated', json_build_object('keyId', k.id, 'userId', k.owner,
                            'organizationId', null, 'name', 'key ' || k.n, 'keyPrefix', 'sk_abcde',
                            'keyHash', md5(k.id::text) || md5(k.n::text), 'scopes', json_build_array('models:read'),
                            'expiresAt', null, 'createdAt', '2026-01-01T00:00:00Z', 'rotatedFrom', null)::text),
                        (1, 'dev.apikeys.events.ApiKeyDisabled', json_build_object('keyId', k.id, 'userId', k.owner,
                            'disabledAt', '2026-01-01T00:00:01Z')::text),
                        (2, 'dev.apikeys.events.ApiKeyEnabled', json_build_object('keyId', k.id, 'userId', k.owner,
                            'enabledAt', '2026-01-01T00:00:02Z')::text),
                        (3, 'dev.apikeys.events.ApiKeyDeleted', json_build_object('keyId', k.id, 'userId', k.owner,
                            'deletedAt', '2026-01-01T00:00:03Z')::text)) as e(seq, type, payload)
                     order by e.seq, k.n
                    """.formatted(owners, keys));
            return appended;
        }
    }

    /**
     * Puts every event processor's token at the store's head, as if each had handled every event
     * in it. Only while no service runs: a running one keeps its tokens in memory and would write
     * its own back.
     *
     * @return the tokens moved, one per processor and segment
     */
    int placeProcessorsAtHead() throws SQLException {
        try (Connection connection = connect();
                Statement statement = connection.createStatement()) {
            return statement.executeUpdate("""
                    update read_model.token_entry
                       set token = convert_to('{"index":' || (select max(global_index)
                                                                 from event_store.domain_event_entry)
                                              || ',"gaps":[]}', 'UTF8'),
                           token_type = 'org.axonframework.eventhandling.GapAwareTrackingToken',
                           owner = null
                    """);
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(url(), USER, "");
    }
}

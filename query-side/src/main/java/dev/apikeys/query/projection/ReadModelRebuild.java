package dev.apikeys.query.projection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Rebuilds the read model from the first event without ever serving an empty or partial one: it
 * fills copies of the tables while the live ones keep answering (and the read-model processor keeps
 * them current), then, holding the live tables locked for a moment, applies what arrived meanwhile
 * and puts the copies in their place in one transaction. The processor's position stays: it
 * applies again, idempotently, what the rebuild had already applied. Readers wait only for the
 * swap. Several query-side instances: a PostgreSQL advisory lock lets one rebuild run at a time,
 * and the swap locks the tables, so processors on every instance simply wait for it.
 */
@Component
public class ReadModelRebuild {

    private static final Logger log = LoggerFactory.getLogger(ReadModelRebuild.class);

    /** Events per transaction of the rebuild: large, so each costs a few statements per thousand events. */
    private static final int BATCH = 2000;
    private static final long ADVISORY_LOCK = 0x61706b6579726d31L;
    private static final String SELECT = """
            select global_index, sequence_number, payload_type, payload_revision, payload
              from event_store.domain_event_entry""";

    private final Serializer eventSerializer;
    private final ReadModelWriter writer;
    private final TransactionTemplate transactions;
    private final JdbcTemplate jdbc;
    private final DataSource dataSource;
    private final AtomicBoolean running = new AtomicBoolean();

    ReadModelRebuild(@Qualifier("eventSerializer") Serializer eventSerializer, ReadModelWriter writer,
            TransactionTemplate transactions, JdbcTemplate jdbc, DataSource dataSource) {
        this.eventSerializer = eventSerializer;
        this.writer = writer;
        this.transactions = transactions;
        this.jdbc = jdbc;
        this.dataSource = dataSource;
    }

    /** @return false when a rebuild is running already, here or in another instance */
    public boolean start() {
        if (!running.compareAndSet(false, true)) {
            return false;
        }
        Connection lock;
        try {
            lock = dataSource.getConnection();
            if (!tryAdvisoryLock(lock)) {
                lock.close();
                running.set(false);
                return false;
            }
        } catch (SQLException e) {
            running.set(false);
            throw new IllegalStateException("Could not take the rebuild lock", e);
        }
        Thread rebuilder = new Thread(() -> {
            try (lock) {
                rebuild();
            } catch (SQLException | RuntimeException e) {
                log.error("Rebuilding the read model failed; the live read model is untouched", e);
            } finally {
                running.set(false);
            }
        }, "read-model-rebuild");
        rebuilder.setDaemon(true);
        rebuilder.start();
        return true;
    }

    public boolean isRunning() {
        return running.get();
    }

    private void rebuild() {
        long start = System.nanoTime();
        jdbc.execute("drop table if exists " + ReadModelTables.REBUILD.apiKey() + ", "
                + ReadModelTables.REBUILD.keyLookup());
        jdbc.execute("create table " + ReadModelTables.REBUILD.apiKey() + " (like " + ReadModelTables.LIVE.apiKey()
                + " including all)");
        jdbc.execute("create table " + ReadModelTables.REBUILD.keyLookup() + " (like "
                + ReadModelTables.LIVE.keyLookup() + " including all)");
        Progress progress = new Progress();
        while (transactions.execute(status -> applyNext(progress)) == BATCH) {
            // Catching up with the store while the live read model keeps serving.
        }
        transactions.executeWithoutResult(status -> swap(progress));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        log.info("Read model rebuilt from {} events in {} ms ({} events/s)", progress.events, took.toMillis(),
                took.isZero() ? progress.events : Math.round(progress.events / (took.toNanos() / 1e9)));
    }

    /** In the swap's transaction, holding the live tables: nothing can change them meanwhile. */
    private void swap(Progress progress) {
        jdbc.execute("lock table " + ReadModelTables.LIVE.apiKey() + ", " + ReadModelTables.LIVE.keyLookup()
                + " in access exclusive mode");
        while (applyNext(progress) == BATCH) {
            // What was committed while the copies were filled, up to now.
        }
        jdbc.execute("alter table read_model.api_key rename to api_key_retired");
        jdbc.execute("alter table read_model.api_key_rebuild rename to api_key");
        jdbc.execute("alter table read_model.key_lookup rename to key_lookup_retired");
        jdbc.execute("alter table read_model.key_lookup_rebuild rename to key_lookup");
        jdbc.execute("drop table read_model.api_key_retired, read_model.key_lookup_retired");
    }

    /**
     * Applies up to one batch of the events after the rebuild's position, and those it skipped as not
     * yet committed that are committed now; returns how many it read. Reads with plain SQL and one
     * deserializer call per event: the rebuild's speed is the point.
     */
    private int applyNext(Progress progress) {
        List<KeyEvent> events = new ArrayList<>(BATCH);
        int[] read = {0};
        RowCallbackHandler collect = row -> {
            progress.passed(row.getLong("global_index"));
            Object payload = eventSerializer.deserialize(new SimpleSerializedObject<>(row.getBytes("payload"),
                    byte[].class, row.getString("payload_type"), row.getString("payload_revision")));
            events.add(new KeyEvent(payload, row.getLong("sequence_number")));
            read[0]++;
        };
        // Two queries, not one with OR: "after the position" must stay an index range scan that
        // stops at the limit, or every batch would sort the rest of the store.
        if (!progress.gaps.isEmpty()) {
            jdbc.query(connection -> {
                PreparedStatement statement = connection.prepareStatement(SELECT
                        + " where global_index = any(?) order by global_index");
                statement.setArray(1, connection.createArrayOf("bigint", progress.gaps.toArray()));
                return statement;
            }, collect);
        }
        long after = progress.last;
        jdbc.query(SELECT + " where global_index > ? order by global_index limit ?", collect, after, BATCH);
        writer.apply(events, ReadModelTables.REBUILD);
        progress.events += read[0];
        return read[0];
    }

    private static boolean tryAdvisoryLock(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("select pg_try_advisory_lock(?)")) {
            statement.setLong(1, ADVISORY_LOCK);
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                return result.getBoolean(1);
            }
        }
    }

    /**
     * How far the rebuild got: the highest global index read, and those below it that were not
     * committed when it passed them (an append still in flight). Only the rebuild's thread touches it.
     */
    private static final class Progress {
        private long last;
        private final Set<Long> gaps = new TreeSet<>();
        private long events;

        void passed(long index) {
            if (!gaps.remove(index)) {
                for (long skipped = last + 1; skipped < index; skipped++) {
                    gaps.add(skipped);
                }
                last = Math.max(last, index);
            }
        }
    }
}

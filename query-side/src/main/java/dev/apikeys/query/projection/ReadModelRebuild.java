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
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicReference;
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
    private static final int BATCH = 5000;
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
                try {
                    rebuild();
                } finally {
                    // A pooled connection outlives close(), and a session's advisory lock with it.
                    advisoryUnlock(lock);
                }
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
        catchUp(progress);
        transactions.executeWithoutResult(status -> swap(progress));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        log.info("Read model rebuilt from {} events in {} ms ({} events/s)", progress.events, took.toMillis(),
                took.isZero() ? progress.events : Math.round(progress.events / (took.toNanos() / 1e9)));
    }

    /**
     * Fills the copies up to about now while the live read model keeps serving. Reading and
     * decoding the next batch (this machine's CPU) overlaps with writing the last one (the
     * database's): a reader thread hands batches over to this one, which writes each in a
     * transaction of its own.
     */
    private void catchUp(Progress progress) {
        BlockingQueue<List<KeyEvent>> batches = new ArrayBlockingQueue<>(2);
        AtomicReference<RuntimeException> readFailure = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            try {
                List<KeyEvent> batch;
                do {
                    batch = read(progress);
                    batches.put(batch);
                } while (batch.size() >= BATCH);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                readFailure.set(e);
                batches.offer(List.of());
            }
        }, "read-model-rebuild-reader");
        reader.setDaemon(true);
        reader.start();
        try {
            List<KeyEvent> batch;
            do {
                batch = batches.take();
                List<KeyEvent> writing = batch;
                transactions.executeWithoutResult(status -> writer.apply(writing, ReadModelTables.REBUILD));
            } while (batch.size() >= BATCH);
            reader.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Rebuild interrupted", e);
        } finally {
            reader.interrupt();
        }
        if (readFailure.get() != null) {
            throw readFailure.get();
        }
    }

    /** In the swap's transaction, holding the live tables: nothing can change them meanwhile. */
    private void swap(Progress progress) {
        jdbc.execute("lock table " + ReadModelTables.LIVE.apiKey() + ", " + ReadModelTables.LIVE.keyLookup()
                + " in access exclusive mode");
        List<KeyEvent> batch;
        do {
            batch = read(progress);
            writer.apply(batch, ReadModelTables.REBUILD);
        } while (batch.size() >= BATCH);
        jdbc.execute("alter table read_model.api_key rename to api_key_retired");
        jdbc.execute("alter table read_model.api_key_rebuild rename to api_key");
        jdbc.execute("alter table read_model.key_lookup rename to key_lookup_retired");
        jdbc.execute("alter table read_model.key_lookup_rebuild rename to key_lookup");
        jdbc.execute("drop table read_model.api_key_retired, read_model.key_lookup_retired");
    }

    /**
     * Reads up to one batch of the events after the rebuild's position, and those it skipped as not
     * yet committed that are committed now, in the order they were stored. Plain SQL and one
     * deserializer call per event: the rebuild's speed is the point.
     */
    private List<KeyEvent> read(Progress progress) {
        List<KeyEvent> events = new ArrayList<>(BATCH);
        RowCallbackHandler collect = row -> {
            progress.passed(row.getLong("global_index"));
            Object payload = eventSerializer.deserialize(new SimpleSerializedObject<>(row.getBytes("payload"),
                    byte[].class, row.getString("payload_type"), row.getString("payload_revision")));
            events.add(new KeyEvent(payload, row.getLong("sequence_number")));
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
        jdbc.query(SELECT + " where global_index > ? order by global_index limit ?", collect, progress.last,
                BATCH);
        progress.events += events.size();
        return events;
    }

    private static void advisoryUnlock(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("select pg_advisory_unlock(?)")) {
            statement.setLong(1, ADVISORY_LOCK);
            statement.execute();
        }
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
     * committed when it passed them (an append still in flight). One thread at a time reads it: the
     * reader while catching up, then (after joining it) the swap.
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

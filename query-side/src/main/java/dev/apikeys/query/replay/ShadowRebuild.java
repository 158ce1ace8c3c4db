package dev.apikeys.query.replay;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Rebuilds one projection from the first event without ever serving an empty or partial one: it
 * fills copies of the tables while the live ones keep answering (and the processor keeps them
 * current), then, holding the live tables locked for a moment, applies what arrived meanwhile and
 * puts the copies in their place in one transaction. The processor's position stays: it applies
 * again, idempotently, what the rebuild had already applied. Readers wait only for the swap.
 * Several query-side instances: a PostgreSQL advisory lock lets one rebuild of a projection run at
 * a time, and shows every instance that it runs; the swap locks the tables, so processors on every
 * instance simply wait for it.
 */
final class ShadowRebuild {

    private static final Logger log = LoggerFactory.getLogger(ShadowRebuild.class);

    /** Events per transaction of the rebuild: large, so each costs a few statements per thousand events. */
    private static final int BATCH = 5000;
    /** "apky" in the advisory lock's upper half; the processor's name hashes into the lower. */
    private static final int ADVISORY_LOCK_SPACE = 0x61706b79;
    private static final String SELECT = """
            select global_index, sequence_number, payload_type, payload_revision, payload
              from event_store.domain_event_entry""";

    private final BatchProjection projection;
    private final Serializer eventSerializer;
    private final TransactionTemplate transactions;
    private final JdbcTemplate jdbc;
    private final DataSource dataSource;
    private final int lockKey;
    private final AtomicBoolean running = new AtomicBoolean();

    ShadowRebuild(BatchProjection projection, Serializer eventSerializer, TransactionTemplate transactions,
            JdbcTemplate jdbc, DataSource dataSource) {
        this.projection = projection;
        this.eventSerializer = eventSerializer;
        this.transactions = transactions;
        this.jdbc = jdbc;
        this.dataSource = dataSource;
        this.lockKey = projection.processorName().hashCode();
    }

    /** @return false when a rebuild of this projection is running already, here or in another instance */
    boolean start() {
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
                log.error("Rebuilding {} failed; its live tables are untouched", projection.processorName(), e);
            } finally {
                running.set(false);
            }
        }, "rebuild-" + projection.processorName());
        rebuilder.setDaemon(true);
        rebuilder.start();
        return true;
    }

    /** Whether a rebuild of this projection runs here or, holding its advisory lock, in any instance. */
    boolean isRunning() {
        return running.get() || Boolean.TRUE.equals(jdbc.queryForObject("""
                select exists (select 1 from pg_locks
                                where locktype = 'advisory' and granted and objsubid = 2
                                  and database = (select oid from pg_database where datname = current_database())
                                  and classid = ?::bigint::oid and objid = ?::bigint::oid)
                """, Boolean.class, (long) ADVISORY_LOCK_SPACE, Integer.toUnsignedLong(lockKey)));
    }

    private void rebuild() {
        long start = System.nanoTime();
        for (String table : projection.tables()) {
            jdbc.execute("drop table if exists " + ProjectionTables.REBUILD.of(table));
            jdbc.execute("create table " + ProjectionTables.REBUILD.of(table) + " (like "
                    + ProjectionTables.LIVE.of(table) + " including all)" + storageParameters(table));
        }
        Progress progress = new Progress();
        catchUp(progress);
        transactions.executeWithoutResult(status -> swap(progress));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        log.info("{} rebuilt from {} events in {} ms ({} events/s)", projection.processorName(), progress.events,
                took.toMillis(),
                took.isZero() ? progress.events : Math.round(progress.events / (took.toNanos() / 1e9)));
    }

    /**
     * Fills the copies up to about now while the live tables keep serving. Reading and decoding the
     * next batch (this machine's CPU) overlaps with writing the last one (the database's): a reader
     * thread hands batches over to this one, which writes each in a transaction of its own.
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
        }, "rebuild-reader-" + projection.processorName());
        reader.setDaemon(true);
        reader.start();
        try {
            List<KeyEvent> batch;
            do {
                batch = batches.take();
                List<KeyEvent> writing = batch;
                transactions.executeWithoutResult(status -> projection.apply(writing, ProjectionTables.REBUILD));
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

    /**
     * In the swap's transaction, holding the live tables: nothing can change them meanwhile. The
     * copies take the live tables' names, and their indexes and constraints the live ones' names,
     * so the next rebuild and any later migration find what the first migration made.
     */
    private void swap(Progress progress) {
        jdbc.execute("lock table " + String.join(", ", projection.tables().stream()
                .map(ProjectionTables.LIVE::of).toList()) + " in access exclusive mode");
        List<KeyEvent> batch;
        do {
            batch = read(progress);
            projection.apply(batch, ProjectionTables.REBUILD);
        } while (batch.size() >= BATCH);
        for (String table : projection.tables()) {
            Map<String, String> liveIndexes = indexes(table);
            jdbc.execute("drop table " + ProjectionTables.LIVE.of(table));
            jdbc.execute("alter table " + ProjectionTables.REBUILD.of(table) + " rename to " + table);
            indexes(table).forEach((shape, name) -> {
                String liveName = liveIndexes.get(shape);
                if (liveName != null && !liveName.equals(name)) {
                    jdbc.execute("alter index read_model." + name + " rename to " + liveName);
                }
            });
        }
    }

    /**
     * The live table's storage parameters (its fillfactor) as a create's with clause: like copies
     * none, and the copy becomes the live table.
     */
    private String storageParameters(String table) {
        String parameters = jdbc.queryForObject(
                "select array_to_string(reloptions, ', ') from pg_class where oid = ?::regclass", String.class,
                ProjectionTables.LIVE.of(table));
        return parameters == null ? "" : " with (" + parameters + ")";
    }

    /** The table's indexes by what they index (their definition without names), each with its name. */
    private Map<String, String> indexes(String table) {
        Map<String, String> byShape = new LinkedHashMap<>();
        jdbc.query("select indexname, indexdef from pg_indexes where schemaname = 'read_model' and tablename = ?",
                (RowCallbackHandler) row -> byShape.put(
                        row.getString("indexdef").replaceFirst(" INDEX \\S+ ON \\S+ ", " INDEX ON "),
                        row.getString("indexname")),
                table);
        return byShape;
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

    private void advisoryUnlock(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("select pg_advisory_unlock(?, ?)")) {
            statement.setInt(1, ADVISORY_LOCK_SPACE);
            statement.setInt(2, lockKey);
            statement.execute();
        }
    }

    private boolean tryAdvisoryLock(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("select pg_try_advisory_lock(?, ?)")) {
            statement.setInt(1, ADVISORY_LOCK_SPACE);
            statement.setInt(2, lockKey);
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

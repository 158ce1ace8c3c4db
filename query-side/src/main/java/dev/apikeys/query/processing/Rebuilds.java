package dev.apikeys.query.processing;

import dev.apikeys.events.ApiKeyEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Replays of the projections reads answer from ({@link BatchProjection}), which must never serve an
 * empty or partial table. Axon's own replay would reset the processor, and its tables with it; a
 * rebuild instead fills copies of the tables from the first event, read through Axon's storage
 * engine and upcasters, while the live ones keep answering and the processor keeps them current.
 * Then, holding the live tables locked, it applies what arrived meanwhile and puts the copies in
 * their place in one transaction; readers wait only for that swap. The processor keeps its
 * position and applies again, to no effect, what the rebuild covered.
 * <p>
 * A PostgreSQL advisory lock lets one rebuild of a projection run at a time across instances, and
 * shows every instance that it runs.
 */
@Component
public class Rebuilds {

    private static final Logger log = LoggerFactory.getLogger(Rebuilds.class);

    private static final String REBUILD = "_rebuild";
    /** Events per transaction: a few statements per thousand events. */
    private static final int BATCH = 5000;
    /** "apky" in the advisory lock's upper half; the processor's name hashes into the lower. */
    private static final int ADVISORY_LOCK_SPACE = 0x61706b79;

    private final Map<String, BatchProjection> projections;
    private final EventStorageEngine storage;
    private final TransactionTemplate transactions;
    private final JdbcTemplate jdbc;
    private final DataSource dataSource;
    private final Set<String> running = ConcurrentHashMap.newKeySet();

    Rebuilds(List<BatchProjection> projections, EventStorageEngine storage, TransactionTemplate transactions,
            JdbcTemplate jdbc, DataSource dataSource) {
        this.projections = projections.stream()
                .collect(Collectors.toMap(BatchProjection::processorName, Function.identity()));
        this.storage = storage;
        this.transactions = transactions;
        this.jdbc = jdbc;
        this.dataSource = dataSource;
    }

    /** Whether the processor's replay is a rebuild beside its live tables. */
    public boolean rebuilds(String processorName) {
        return projections.containsKey(processorName);
    }

    /** @return false when a rebuild of it runs already, here or in another instance: that one is the replay */
    public boolean start(String processorName) {
        BatchProjection projection = projections.get(processorName);
        if (!running.add(processorName)) {
            return false;
        }
        Connection lock;
        try {
            lock = dataSource.getConnection();
            if (!advisoryLock(lock, "pg_try_advisory_lock", processorName)) {
                lock.close();
                running.remove(processorName);
                return false;
            }
        } catch (SQLException e) {
            running.remove(processorName);
            throw new IllegalStateException("Could not take the rebuild lock", e);
        }
        Thread rebuilder = new Thread(() -> {
            try (lock) {
                try {
                    rebuild(projection);
                } finally {
                    // A pooled connection outlives close(), and a session's advisory lock with it.
                    advisoryLock(lock, "pg_advisory_unlock", processorName);
                }
            } catch (SQLException | RuntimeException e) {
                log.error("Rebuilding {} failed; its live tables are untouched", processorName, e);
            } finally {
                running.remove(processorName);
            }
        }, "rebuild-" + processorName);
        rebuilder.setDaemon(true);
        rebuilder.start();
        return true;
    }

    /** Whether the processor's projection is being rebuilt, here or, holding its advisory lock, in any instance. */
    public boolean running(String processorName) {
        return running.contains(processorName) || rebuilds(processorName) && Boolean.TRUE.equals(jdbc.queryForObject("""
                select exists (select 1 from pg_locks
                                where locktype = 'advisory' and granted and objsubid = 2
                                  and database = (select oid from pg_database where datname = current_database())
                                  and classid = ?::bigint::oid and objid = ?::bigint::oid)
                """, Boolean.class, (long) ADVISORY_LOCK_SPACE, Integer.toUnsignedLong(processorName.hashCode())));
    }

    private void rebuild(BatchProjection projection) {
        long start = System.nanoTime();
        for (String table : projection.tables()) {
            jdbc.execute("drop table if exists " + qualified(table, REBUILD));
            jdbc.execute("create table " + qualified(table, REBUILD) + " (like " + qualified(table, "")
                    + " including all)" + storageParameters(table));
        }
        Progress progress = catchUp(projection);
        transactions.executeWithoutResult(status -> swap(projection, progress));
        log.info("{} rebuilt from {} events in {} ms", projection.processorName(), progress.events,
                Duration.ofNanos(System.nanoTime() - start).toMillis());
    }

    /**
     * Fills the copies up to about now. A reader thread reads and decodes the next batch (this
     * machine's CPU) while this one writes the last (the database's).
     */
    private Progress catchUp(BatchProjection projection) {
        Progress progress = new Progress();
        BlockingQueue<List<SequencedEvent>> batches = new ArrayBlockingQueue<>(2);
        AtomicReference<RuntimeException> readFailure = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            try (Stream<? extends TrackedEventMessage<?>> events = storage.readEvents(null, false)) {
                Iterator<? extends TrackedEventMessage<?>> iterator = events.iterator();
                while (iterator.hasNext()) {
                    List<SequencedEvent> batch = progress.next(iterator, BATCH);
                    if (!batch.isEmpty()) {
                        batches.put(batch);
                    }
                }
                batches.put(List.of());
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
            // An empty batch is the end.
            for (List<SequencedEvent> batch = batches.take(); !batch.isEmpty(); batch = batches.take()) {
                List<SequencedEvent> writing = batch;
                transactions.executeWithoutResult(status -> projection.apply(writing, REBUILD));
            }
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
        return progress;
    }

    /**
     * Holding the live tables, so every event a processor applied to them is committed and read
     * here. The copies take the live tables' names, and their indexes the live ones' names, so the
     * next rebuild and any later migration find what the first migration made.
     */
    private void swap(BatchProjection projection, Progress progress) {
        jdbc.execute("lock table " + projection.tables().stream().map(table -> qualified(table, ""))
                .collect(Collectors.joining(", ")) + " in access exclusive mode");
        try (Stream<? extends TrackedEventMessage<?>> events = storage.readEvents(progress.token, false)) {
            Iterator<? extends TrackedEventMessage<?>> iterator = events.iterator();
            while (iterator.hasNext()) {
                projection.apply(progress.next(iterator, BATCH), REBUILD);
            }
        }
        for (String table : projection.tables()) {
            Map<String, String> liveIndexes = indexes(table);
            jdbc.execute("drop table " + qualified(table, ""));
            jdbc.execute("alter table " + qualified(table, REBUILD) + " rename to " + table);
            indexes(table).forEach((shape, name) -> {
                String liveName = liveIndexes.get(shape);
                if (liveName != null && !liveName.equals(name)) {
                    jdbc.execute("alter index read_model." + name + " rename to " + liveName);
                }
            });
        }
    }

    /** The live table's storage parameters (its fillfactor) for the copy: {@code like} copies none. */
    private String storageParameters(String table) {
        String parameters = jdbc.queryForObject(
                "select array_to_string(reloptions, ', ') from pg_class where oid = ?::regclass", String.class,
                qualified(table, ""));
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

    private static String qualified(String table, String suffix) {
        return "read_model." + table + suffix;
    }

    private static boolean advisoryLock(Connection connection, String function, String processorName)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("select " + function + "(?, ?)")) {
            statement.setInt(1, ADVISORY_LOCK_SPACE);
            statement.setInt(2, processorName.hashCode());
            try (ResultSet result = statement.executeQuery()) {
                return result.next() && result.getBoolean(1);
            }
        }
    }

    /** The token of the last event read, and how many were read; one thread at a time reads it. */
    private static final class Progress {
        private TrackingToken token;
        private long events;

        /** The key events among the next {@code size} events. */
        List<SequencedEvent> next(Iterator<? extends TrackedEventMessage<?>> iterator, int size) {
            List<SequencedEvent> batch = new ArrayList<>(size);
            for (int read = 0; read < size && iterator.hasNext(); read++) {
                TrackedEventMessage<?> event = iterator.next();
                token = event.trackingToken();
                events++;
                if (event instanceof DomainEventMessage<?> keyEvent && keyEvent.getPayload() instanceof ApiKeyEvent key) {
                    batch.add(new SequencedEvent(key, keyEvent.getSequenceNumber()));
                }
            }
            return batch;
        }
    }
}

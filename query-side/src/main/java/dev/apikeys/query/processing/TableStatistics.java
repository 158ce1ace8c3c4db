package dev.apikeys.query.processing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * Keeps the planner's statistics of the read model's tables current while the processors fill
 * them. Without statistics PostgreSQL guesses a table's rows from its size and a default row
 * width, far fewer than it holds, and plans a batch's lookup of 500 keys by primary key as a scan
 * of the whole table: a catch-up or rebuild then slows with every row it writes (measured: 1,100
 * events/s at 300,000 keys). Autovacuum's analyze, where it runs at all, looks once a minute,
 * while a rebuild's shadow tables take a million events in that time. So every interval this
 * analyzes each table changed by more than a tenth since its last analyze (autovacuum's own rule,
 * checked more often), one query-side instance at a time.
 */
@Component
class TableStatistics implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(TableStatistics.class);
    /** pg_try_advisory_lock's class: 'STAT'; other classes of this schema are taken elsewhere. */
    private static final int LOCK_CLASS = 0x53544154;

    private final JdbcTemplate jdbc;
    private final Duration interval;

    TableStatistics(JdbcTemplate jdbc, ProcessingProperties properties) {
        this.jdbc = jdbc;
        this.interval = properties.statistics().checkInterval();
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        tasks.addFixedDelayTask(this::check, interval);
    }

    /** Analyzes the tables that need it, unless another instance is doing so; returns them. */
    List<String> analyzeStale() {
        return jdbc.execute((Connection connection) -> {
            if (!advisoryLock(connection, "pg_try_advisory_lock")) {
                return List.of();
            }
            try (Statement statement = connection.createStatement()) {
                List<String> stale = new ArrayList<>();
                try (ResultSet tables = statement.executeQuery("""
                        select format('%I.%I', schemaname, relname)
                          from pg_stat_user_tables
                         where schemaname = 'read_model'
                           and n_mod_since_analyze > 50 + 0.1 * n_live_tup""")) {
                    while (tables.next()) {
                        stale.add(tables.getString(1));
                    }
                }
                for (String table : stale) {
                    statement.execute("analyze " + table);
                }
                return stale;
            } finally {
                advisoryLock(connection, "pg_advisory_unlock");
            }
        });
    }

    private static boolean advisoryLock(Connection connection, String function) throws SQLException {
        try (PreparedStatement call = connection.prepareStatement("select " + function + "(?, 0)")) {
            call.setInt(1, LOCK_CLASS);
            try (ResultSet result = call.executeQuery()) {
                return result.next() && result.getBoolean(1);
            }
        }
    }

    private void check() {
        try {
            List<String> analyzed = analyzeStale();
            if (!analyzed.isEmpty()) {
                log.debug("Analyzed {}", analyzed);
            }
        } catch (RuntimeException e) {
            // The database is unreachable, say: the next check tries again.
            log.warn("Could not refresh the read model's statistics: {}", e.toString());
        }
    }
}

package dev.apikeys.query.processing;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Keeps the planner's statistics of the read model's tables current while the processors fill
 * them. Without them PostgreSQL plans a batch's lookup of 500 keys by primary key as a scan of the
 * whole table, and a catch-up or rebuild slows with every row it writes (measured: 1,100 events/s
 * at 300,000 keys). Autovacuum looks once a minute, while a rebuild's copies take a million events
 * in that time; so every interval this analyzes each table changed by more than a tenth since its
 * last analyze (autovacuum's own rule, checked more often), one query-side instance at a time.
 */
@Component
class TableStatistics implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(TableStatistics.class);
    /** pg_try_advisory_xact_lock's class: 'STAT'. */
    private static final int LOCK_CLASS = 0x53544154;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final ProcessingProperties properties;

    TableStatistics(JdbcTemplate jdbc, TransactionTemplate transactions, ProcessingProperties properties) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.properties = properties;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        tasks.addFixedDelayTask(this::check, properties.statistics().checkInterval());
    }

    private void check() {
        try {
            List<String> analyzed = transactions.execute(status -> {
                if (!Boolean.TRUE.equals(jdbc.queryForObject("select pg_try_advisory_xact_lock(?, 0)", Boolean.class,
                        LOCK_CLASS))) {
                    return List.<String>of();
                }
                List<String> stale = jdbc.queryForList("""
                        select format('%I.%I', schemaname, relname) from pg_stat_user_tables
                         where schemaname = 'read_model' and n_mod_since_analyze > 50 + 0.1 * n_live_tup""",
                        String.class);
                stale.forEach(table -> jdbc.execute("analyze " + table));
                return stale;
            });
            log.debug("Analyzed {}", analyzed);
        } catch (RuntimeException e) {
            // The database is unreachable, say: the next check tries again.
            log.warn("Could not refresh the read model's statistics: {}", e.toString());
        }
    }
}

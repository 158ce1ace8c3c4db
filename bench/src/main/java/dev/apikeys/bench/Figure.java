package dev.apikeys.bench;

import java.util.function.DoublePredicate;

/** The figures a run reports, by the names its {@code name=value} lines use, with their targets. */
enum Figure {

    PGBENCH_INSERT_TPS("pgbench_insert_tps", "%.0f", "baseline", null),
    CREATE_RPS("create_rps", "%.0f", "see ratio", null),
    CREATE_VS_PGBENCH("create_vs_pgbench", "%.3f", ">= 0.25", value -> value >= 0.25),
    CREATE_P99_MS("create_p99_ms", "%.2f", "<= 25", value -> value <= 25),
    RYW_WAIT_P99_MS("ryw_wait_p99_ms", "%.2f", "<= 20", value -> value <= 20),
    GET_P99_MS("get_p99_ms", "%.2f", "<= 10", value -> value <= 10),
    GET_RPS("get_rps", "%.0f", "-", null),
    VERIFY_P99_MS("verify_p99_ms", "%.3f", "<= 2 at 8,000/s", value -> value <= 2),
    VERIFY_RPS("verify_rps", "%.0f", ">= 8,000", value -> value >= 8000),
    REPLAY_EVENTS_PER_S("replay_events_per_s", "%.0f", ">= 20,000", value -> value >= 20_000),
    AUDIT_CATCHUP_EVENTS_PER_S("audit_catchup_events_per_s", "%.0f", ">= 10,000", value -> value >= 10_000),
    SERVICE_RSS_MB("service_rss_mb", "%.0f", "<= 768", value -> value <= 768);

    private final String key;
    private final String format;
    private final String target;
    private final DoublePredicate met;

    /** @param met null for a figure that has no target of its own */
    Figure(String key, String format, String target, DoublePredicate met) {
        this.key = key;
        this.format = format;
        this.target = target;
        this.met = met;
    }

    String key() {
        return key;
    }

    String format() {
        return format;
    }

    String target() {
        return target;
    }

    boolean hasTarget() {
        return met != null;
    }

    boolean isMetBy(double value) {
        return met != null && met.test(value);
    }
}

package dev.apikeys.bench;

import java.util.List;

/** The figures {@code ./bench/run} reports, in the order it prints them. */
final class BenchmarkFigures {

    static final Figure PGBENCH_INSERT_TPS = new Figure("pgbench_insert_tps", "%.0f", "baseline", null);
    static final Figure CREATE_RPS = new Figure("create_rps", "%.0f", "see ratio", null);
    static final Figure CREATE_VS_PGBENCH = new Figure("create_vs_pgbench", "%.3f", ">= 0.25", value -> value >= 0.25);
    static final Figure CREATE_P99_MS = new Figure("create_p99_ms", "%.2f", "<= 25", value -> value <= 25);
    static final Figure RYW_WAIT_P99_MS = new Figure("ryw_wait_p99_ms", "%.2f", "<= 20", value -> value <= 20);
    static final Figure GET_P99_MS = new Figure("get_p99_ms", "%.2f", "<= 10", value -> value <= 10);
    static final Figure GET_RPS = new Figure("get_rps", "%.0f", "-", null);
    static final Figure VERIFY_P99_MS = new Figure("verify_p99_ms", "%.3f", "<= 2 at 8,000/s", value -> value <= 2);
    static final Figure VERIFY_RPS = new Figure("verify_rps", "%.0f", ">= 8,000", value -> value >= 8000);
    static final Figure VERIFY_LIMITED_RPS = new Figure("verify_limited_rps", "%.0f", "not below verify_rps", null);
    static final Figure VERIFY_LIMITED_P99_MS = new Figure("verify_limited_p99_ms", "%.3f", "-", null);
    static final Figure REPLAY_EVENTS_PER_S =
            new Figure("replay_events_per_s", "%.0f", ">= 20,000", value -> value >= 20_000);
    static final Figure AUDIT_CATCHUP_EVENTS_PER_S =
            new Figure("audit_catchup_events_per_s", "%.0f", ">= 10,000", value -> value >= 10_000);
    static final Figure SERVICE_RSS_MB = new Figure("service_rss_mb", "%.0f", "<= 768", value -> value <= 768);

    static final List<Figure> ALL = List.of(PGBENCH_INSERT_TPS, CREATE_RPS, CREATE_VS_PGBENCH, CREATE_P99_MS,
            RYW_WAIT_P99_MS, GET_P99_MS, GET_RPS, VERIFY_P99_MS, VERIFY_RPS, VERIFY_LIMITED_RPS, VERIFY_LIMITED_P99_MS,
            REPLAY_EVENTS_PER_S,
            AUDIT_CATCHUP_EVENTS_PER_S, SERVICE_RSS_MB);

    private BenchmarkFigures() {
    }
}

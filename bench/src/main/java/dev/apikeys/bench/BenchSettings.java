package dev.apikeys.bench;

import java.time.Duration;
import java.util.Map;

/**
 * What the environment asks of a run. {@code BENCH_SCALE} (default 1) multiplies every duration and
 * every count of generated events, e.g. 0.1 for a quick smoke run while developing; rates stay as
 * they are, since the targets are set at those rates. {@code BENCH_JFR=1} records a flight
 * recording of the service per phase.
 */
record BenchSettings(double scale, boolean flightRecordings) {

    /**
     * The full run must end within ten minutes; this leaves time to stop the service and the
     * broker (at most 20 s and 10 s before they are killed) and to report.
     */
    static final Duration RUN_BUDGET = Duration.ofSeconds(530);

    static BenchSettings fromEnvironment(Map<String, String> environment) {
        double scale = Double.parseDouble(environment.getOrDefault("BENCH_SCALE", "1"));
        if (!(scale > 0 && scale <= 1)) {
            throw new IllegalArgumentException("BENCH_SCALE must be in (0, 1], was " + scale);
        }
        return new BenchSettings(scale, "1".equals(environment.get("BENCH_JFR")));
    }

    /** A phase's duration at this scale, at least a second. */
    Duration seconds(double fullRunSeconds) {
        return Duration.ofMillis(Math.max(1000, Math.round(fullRunSeconds * scale * 1000)));
    }

    /** A count of events at this scale, at least {@code floor}. */
    long count(long fullRun, long floor) {
        return Math.max(floor, Math.round(fullRun * scale));
    }
}

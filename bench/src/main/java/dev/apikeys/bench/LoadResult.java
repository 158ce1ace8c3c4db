package dev.apikeys.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * What a load run measured. Latencies are in microseconds, from the intended send time for a
 * fixed-rate run (so a stall counts against every request it delayed) and from the actual send
 * for a closed loop.
 *
 * @param served answers the workload accepted
 * @param failed answers it did not accept, and requests that got no answer
 * @param targetPerSecond the intended rate of a fixed-rate run; 0 for a closed loop
 */
record LoadResult(String label, long served, long failed, Duration duration, double targetPerSecond,
        Histogram latencyMicros) {

    double servedPerSecond() {
        return served / (duration.toNanos() / 1e9);
    }

    double attemptedPerSecond() {
        return (served + failed) / (duration.toNanos() / 1e9);
    }

    /**
     * Why a latency figure of this run would not count even within its target, or null: answers
     * that failed, or a fixed-rate run that sent far fewer requests than its schedule meant to. A
     * connection still waiting for an answer when the run ends sends no more, which costs a
     * full-speed run up to one request per connection; far fewer means the service fell behind.
     */
    String unmetCondition() {
        List<String> reasons = new ArrayList<>();
        if (targetPerSecond > 0 && attemptedPerSecond() < 0.97 * targetPerSecond) {
            reasons.add(String.format(Locale.ROOT, "sent %.0f/s of %.0f/s", attemptedPerSecond(), targetPerSecond));
        }
        if (failed > 0) {
            reasons.add(String.format(Locale.ROOT, "%,d failed", failed));
        }
        return reasons.isEmpty() ? null : String.join(", ", reasons);
    }

    double percentileMillis(double percentile) {
        return latencyMicros.getValueAtPercentile(percentile) / 1000.0;
    }

    String summary() {
        String rate = targetPerSecond > 0
                ? String.format(Locale.ROOT, "%,.0f/s sent of %,.0f/s intended", attemptedPerSecond(), targetPerSecond)
                : String.format(Locale.ROOT, "%,.0f/s", servedPerSecond());
        return String.format(Locale.ROOT,
                "%s: %,d served, %,d failed in %.1f s, %s; latency ms p50 %.2f, p90 %.2f, p99 %.2f, p99.9 %.2f, max %.2f",
                label, served, failed, duration.toNanos() / 1e9, rate, percentileMillis(50), percentileMillis(90),
                percentileMillis(99), percentileMillis(99.9), latencyMicros.getMaxValue() / 1000.0);
    }
}

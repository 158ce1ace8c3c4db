package dev.apikeys.bench;

import java.time.Duration;

/**
 * What every phase measures with and reports to.
 *
 * @param runEndsAt the {@link System#nanoTime()} by which the run's last wait must end, so that a
 *        slow service fails a phase rather than the ten minutes a run may take
 */
record PhaseContext(BenchSettings settings, Progress progress, ServiceEndpoint endpoint, BearerTokens tokens,
        ServiceAdmin admin, ServiceProcess service, BenchDatabase database, Report report, long runEndsAt) {

    /** apikeys.usage.flush-interval (5 s) and a margin. */
    private static final Duration QUIET_STORE = Duration.ofSeconds(7);

    /** The longest a wait may take: {@code wanted}, or less when the run's budget ends sooner. */
    Duration timeout(Duration wanted) {
        requireTimeLeft(Duration.ofSeconds(5));
        Duration left = timeLeft();
        return wanted.compareTo(left) < 0 ? wanted : left;
    }

    /**
     * Before events are generated with SQL: waits until the service has appended nothing for a
     * usage flush interval and a bit (see {@link BenchDatabase#awaitQuietStore}).
     */
    void awaitQuietStore() throws Exception {
        if (!database.awaitQuietStore(QUIET_STORE, timeout(Duration.ofSeconds(30)))) {
            throw new PhaseFailed("the service kept appending events; generated ones would leave gaps");
        }
    }

    /** Fails the phase unless at least {@code needed} of the run's budget is left. */
    void requireTimeLeft(Duration needed) {
        if (timeLeft().compareTo(needed) < 0) {
            throw new PhaseFailed("only " + timeLeft().toSeconds() + " s of the run's budget of "
                    + BenchSettings.RUN_BUDGET.toSeconds() + " s left, " + needed.toSeconds() + " s needed");
        }
    }

    private Duration timeLeft() {
        return Duration.ofNanos(runEndsAt - System.nanoTime());
    }
}

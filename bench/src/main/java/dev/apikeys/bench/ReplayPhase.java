package dev.apikeys.bench;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A rebuild of the read model from an event store of at least a million events, as an operator
 * starts one: on a service whose processors have handled the store's history. The service is
 * stopped, the store filled with SQL and every processor's token put at the new head, as if each
 * had handled those events; the service is started again and {@code apikey-read-model} replayed
 * from the first event. Without the tokens moved, the audit publisher and the analytics would
 * catch up with the million generated events while the replay runs (on two cores that alone took
 * longer than the run may): a measure of a backlog, not of the replay.
 */
final class ReplayPhase {

    private static final long EVENTS = 1_000_000;
    private static final Duration RESTART_TIMEOUT = Duration.ofSeconds(120);
    /** What the service logs when a rebuild of the read model swapped its tables in. */
    private static final String REBUILT = ServiceAdmin.READ_MODEL + " rebuilt from";

    private final PhaseContext context;

    ReplayPhase(PhaseContext context) {
        this.context = context;
    }

    /** {@code replay_events_per_s}: events in the store over the time from the POST until the replay ended. */
    void run() throws Exception {
        BenchSettings settings = context.settings();
        // Generating the events alone takes most of a minute, a restart most of another.
        context.requireTimeLeft(settings.seconds(150));
        context.progress().line("stopping the service to fill its store");
        context.service().stop();
        long wanted = settings.count(EVENTS, 20_000);
        long stored = context.database().countEvents();
        long keys = Math.max(0, (wanted - stored + BenchDatabase.EVENTS_PER_KEY - 1) / BenchDatabase.EVENTS_PER_KEY);
        context.progress().line("appending %,d events with SQL to the %,d in the store", keys * BenchDatabase.EVENTS_PER_KEY,
                stored);
        long appending = System.nanoTime();
        long appended = context.database().appendKeyEvents(keys, "replay-owner");
        context.progress().line("  appended %,d events in %.1f s", appended, seconds(appending));
        int moved = context.database().placeProcessorsAtHead();
        if (moved == 0) {
            throw new PhaseFailed("no processor had a token to move to the head");
        }
        context.progress().line("  %d processor tokens put at the head; starting the service again", moved);
        long starting = System.nanoTime();
        context.service().start();
        context.service().awaitHealthy(context.admin(), context.timeout(RESTART_TIMEOUT));
        context.progress().line("  healthy after %.1f s", seconds(starting));

        long events = context.database().countEvents();
        context.progress().line("replaying %s over %,d events", ServiceAdmin.READ_MODEL, events);
        int rebuiltBefore = context.service().logLines(REBUILT).size();
        Duration timeout = context.timeout(settings.seconds(300));
        long replaying = System.nanoTime();
        context.admin().startReplay(ServiceAdmin.READ_MODEL);
        long nextReport = replaying + TimeUnit.SECONDS.toNanos(10);
        // The processor's own position stays at the head meanwhile (the rebuild fills copies of
        // the tables), so only the time tells how it goes.
        while (context.admin().projection(ServiceAdmin.READ_MODEL).replaying()) {
            if (System.nanoTime() - replaying > timeout.toNanos()) {
                throw new PhaseFailed("the replay did not end within %d s".formatted(timeout.toSeconds()));
            }
            if (System.nanoTime() >= nextReport) {
                context.progress().line("  still replaying after %.0f s", seconds(replaying));
                nextReport += TimeUnit.SECONDS.toNanos(10);
            }
            Thread.sleep(250);
        }
        double took = seconds(replaying);
        context.progress().line("  replay ended after %.1f s: %,.0f events/s", took, events / took);
        List<String> rebuilt = context.service().logLines(REBUILT);
        if (rebuilt.size() > rebuiltBefore) {
            context.progress().line("  service: %s", rebuilt.get(rebuilt.size() - 1).strip());
        } else {
            throw new PhaseFailed("the replay ended without the service logging \"" + REBUILT + " ...\"; see "
                    + context.service().log());
        }
        context.report().record(BenchmarkFigures.REPLAY_EVENTS_PER_S, events / took);
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}

package dev.apikeys.bench;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A rebuild of the read model from an event store of at least a million events: the store is
 * filled with SQL, the read model is left to catch up (which this phase also times, since it is
 * what a fresh instance or a backlog costs), then {@code apikey-read-model} is replayed. The
 * analytics and audit processors are not waited for: on two cores their catch-up of the same
 * million events takes longer than the run may, so they may still share the cores with the replay.
 */
final class ReplayPhase {

    private static final long EVENTS = 1_000_000;
    /** What the service logs when a rebuild of the read model swapped its tables in. */
    private static final String REBUILT = ServiceAdmin.READ_MODEL + " rebuilt from";

    private final PhaseContext context;

    ReplayPhase(PhaseContext context) {
        this.context = context;
    }

    /** {@code replay_events_per_s}: events in the store over the time from the POST until the replay ended. */
    void run() throws Exception {
        BenchSettings settings = context.settings();
        // Generating the events alone takes most of a minute; not worth starting without time to wait.
        context.requireTimeLeft(settings.seconds(90));
        context.awaitQuietStore();
        long wanted = settings.count(EVENTS, 20_000);
        long stored = context.database().countEvents();
        long keys = Math.max(0, (wanted - stored + BenchDatabase.EVENTS_PER_KEY - 1) / BenchDatabase.EVENTS_PER_KEY);
        context.progress().line("appending %,d events with SQL to the %,d in the store", keys * BenchDatabase.EVENTS_PER_KEY,
                stored);
        long appending = System.nanoTime();
        long appended = context.database().appendKeyEvents(keys, "replay-owner");
        context.progress().line("  appended %,d events in %.1f s", appended, seconds(appending));

        long catchingUp = System.nanoTime();
        context.admin().awaitCaughtUp(ServiceAdmin.READ_MODEL, context.timeout(settings.seconds(360)),
                context.progress());
        context.progress().line("  %s caught up in %.1f s", ServiceAdmin.READ_MODEL, seconds(catchingUp));

        long events = context.database().countEvents();
        context.progress().line("replaying %s over %,d events", ServiceAdmin.READ_MODEL, events);
        int rebuiltBefore = context.service().logLines(REBUILT).size();
        Duration timeout = context.timeout(settings.seconds(240));
        long replaying = System.nanoTime();
        context.admin().startReplay(ServiceAdmin.READ_MODEL);
        long nextReport = replaying + TimeUnit.SECONDS.toNanos(10);
        while (context.admin().projection(ServiceAdmin.READ_MODEL).replaying()) {
            if (System.nanoTime() - replaying > timeout.toNanos()) {
                throw new PhaseFailed("the replay did not end within " + timeout.toSeconds() + " s");
            }
            if (System.nanoTime() >= nextReport) {
                context.progress().line("  replaying for %.0f s", seconds(replaying));
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

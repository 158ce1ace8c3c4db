package dev.apikeys.bench;

import java.time.Duration;
import java.util.Collection;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * {@code POST /api/v1/me/apikeys}: the most creates 16 clients get back to back, then latency at
 * half that rate, during which other clients read the keys of the users being written, which is
 * what the read-your-writes wait is measured on. Keeps every plaintext key it was given, for the
 * verify phases.
 */
final class CreatePhases {

    private static final int CONNECTIONS = 16;
    private static final int READ_CONNECTIONS = 2;
    private static final double READS_PER_SECOND = 100;
    private static final String WAIT_TIMER = "apikeys_read_your_writes_wait_seconds";

    private final PhaseContext context;
    private final Queue<IssuedKey> issuedKeys = new ConcurrentLinkedQueue<>();

    CreatePhases(PhaseContext context) {
        this.context = context;
    }

    Collection<IssuedKey> issuedKeys() {
        return issuedKeys;
    }

    /** {@code create_rps} and, against pgbench, {@code create_vs_pgbench}. */
    void closedLoop() throws InterruptedException {
        runClosedLoop("create warm-up", "bench-warmup", context.settings().seconds(10));
        LoadResult result = runClosedLoop("create closed loop", "bench-closed", context.settings().seconds(30));
        context.report().record(BenchmarkFigures.CREATE_RPS, result.servedPerSecond());
        double pgbench = context.report().value(BenchmarkFigures.PGBENCH_INSERT_TPS);
        if (!Double.isNaN(pgbench)) {
            context.report().record(BenchmarkFigures.CREATE_VS_PGBENCH, result.servedPerSecond() / pgbench,
                    result.unmetCondition());
        }
    }

    /** {@code create_p99_ms} at half of {@code create_rps}, and {@code ryw_wait_p99_ms} meanwhile. */
    void fixedRate() throws InterruptedException {
        double closedLoopRate = context.report().value(BenchmarkFigures.CREATE_RPS);
        if (Double.isNaN(closedLoopRate) || closedLoopRate < 1) {
            throw new PhaseFailed("no create_rps to take half of");
        }
        double rate = closedLoopRate / 2;
        context.progress().line("creates at %.0f/s, half of create_rps, with %.0f reads/s of the users being written",
                rate, READS_PER_SECOND);
        runFixedRate("create fixed-rate warm-up", "bench-paced-warmup", rate, context.settings().seconds(5));

        ServerTimerHistogram before = ServerTimerHistogram.parse(context.admin().prometheus(), WAIT_TIMER);
        LoadResult creates = runFixedRate("create fixed rate", "bench-paced", rate, context.settings().seconds(30));
        ServerTimerHistogram after = ServerTimerHistogram.parse(context.admin().prometheus(), WAIT_TIMER);

        context.report().record(BenchmarkFigures.CREATE_P99_MS, creates.percentileMillis(99), creates.unmetCondition());
        if (after.isEmpty()) {
            throw new PhaseFailed("/actuator/prometheus has no " + WAIT_TIMER + "_bucket; is the histogram enabled?");
        }
        long waits = after.countSince(before);
        double p99Millis = after.quantileSince(before, 0.99) * 1000;
        context.progress().line("  read-your-writes waits in the service: %,d reads, p50 %.2f ms, p99 %.2f ms", waits,
                after.quantileSince(before, 0.5) * 1000, p99Millis);
        if (waits == 0) {
            throw new PhaseFailed("the service timed no read-your-writes waits");
        }
        context.report().record(BenchmarkFigures.RYW_WAIT_P99_MS, p99Millis);
    }

    private LoadResult runClosedLoop(String label, String userPrefix, Duration duration)
            throws InterruptedException {
        AtomicReferenceArray<byte[]> readsOfCurrentUsers = new AtomicReferenceArray<>(CONNECTIONS);
        LoadResult result = LoadRun.closedLoop(label, context.endpoint(), CONNECTIONS, duration,
                connection -> creates(userPrefix, connection, readsOfCurrentUsers)).await(context.progress());
        context.progress().line("  %s", result.summary());
        return result;
    }

    /** @return the creates' result; the reads' is printed */
    private LoadResult runFixedRate(String label, String userPrefix, double rate, Duration duration)
            throws InterruptedException {
        AtomicReferenceArray<byte[]> readsOfCurrentUsers = new AtomicReferenceArray<>(CONNECTIONS);
        LoadRun creates = LoadRun.fixedRate(label, context.endpoint(), CONNECTIONS, rate, duration,
                connection -> creates(userPrefix, connection, readsOfCurrentUsers));
        LoadRun reads = LoadRun.fixedRate(label + " reads", context.endpoint(), READ_CONNECTIONS, READS_PER_SECOND,
                duration, connection -> new ReadsOfUsersBeingWritten(readsOfCurrentUsers));
        LoadResult created = creates.await(context.progress());
        LoadResult read = reads.await(context.progress());
        context.progress().line("  %s", created.summary());
        context.progress().line("  %s", read.summary());
        return created;
    }

    private CreateKeysWorkload creates(String userPrefix, int connection,
            AtomicReferenceArray<byte[]> readsOfCurrentUsers) {
        return new CreateKeysWorkload(userPrefix, connection, context.endpoint(), context.tokens(), issuedKeys::add,
                read -> readsOfCurrentUsers.set(connection, read));
    }
}

package dev.apikeys.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import org.HdrHistogram.Histogram;

/**
 * Connections to the service, one blocking socket and one thread each, sending for a set time,
 * either closed loop or at a fixed rate.
 * <p>
 * Closed loop: each connection sends as soon as its previous answer arrived, which finds the
 * throughput; latency is timed from the actual send. Fixed rate, as wrk2 does it, to avoid
 * coordinated omission: each of the N connections keeps its own schedule at rate/N, the
 * connections' schedules staggered by 1/rate, and every latency is timed from the send time the
 * schedule intended. A connection held up by a slow answer sends its late requests at once, and
 * the wait they had counts against each of them, as it would for clients that do not wait for
 * each other.
 */
final class LoadRun {

    private static final long HIGHEST_MICROS = TimeUnit.SECONDS.toMicros(60);
    private static final long PROGRESS_NANOS = TimeUnit.SECONDS.toNanos(5);
    /** Time for every thread to connect before the run's clock starts. */
    private static final long OPENING_NANOS = TimeUnit.MILLISECONDS.toNanos(300);
    /** After a request got no answer at all, e.g. the service is down, so a closed loop does not spin. */
    private static final long PAUSE_AFTER_IO_FAILURE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final String label;
    private final Duration duration;
    private final double targetPerSecond;
    private final long startAt;
    private final long endAt;
    private final List<Thread> threads = new ArrayList<>();
    private final Histogram[] latencies;
    private final LongAdder served = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final AtomicReference<Throwable> crash = new AtomicReference<>();

    private LoadRun(String label, ServiceEndpoint endpoint, int connections, Duration duration,
            double targetPerSecond, IntFunction<ConnectionWorkload> workloads) {
        this.label = label;
        this.duration = duration;
        this.targetPerSecond = targetPerSecond;
        this.startAt = System.nanoTime() + OPENING_NANOS;
        this.endAt = startAt + duration.toNanos();
        this.latencies = new Histogram[connections];
        long intervalNanos = targetPerSecond > 0 ? Math.round(connections * 1e9 / targetPerSecond) : 0;
        for (int c = 0; c < connections; c++) {
            int connection = c;
            latencies[c] = new Histogram(HIGHEST_MICROS, 3);
            ConnectionWorkload workload = workloads.apply(c);
            long firstAt = startAt + intervalNanos * c / connections;
            Thread thread = new Thread(() -> drive(endpoint, workload, latencies[connection], firstAt, intervalNanos),
                    "load-" + label + "-" + c);
            thread.setDaemon(true);
            thread.setUncaughtExceptionHandler((failedThread, e) -> crash.compareAndSet(null, e));
            threads.add(thread);
        }
        threads.forEach(Thread::start);
    }

    static LoadRun closedLoop(String label, ServiceEndpoint endpoint, int connections, Duration duration,
            IntFunction<ConnectionWorkload> workloads) {
        return new LoadRun(label, endpoint, connections, duration, 0, workloads);
    }

    static LoadRun fixedRate(String label, ServiceEndpoint endpoint, int connections, double perSecond,
            Duration duration, IntFunction<ConnectionWorkload> workloads) {
        return new LoadRun(label, endpoint, connections, duration, perSecond, workloads);
    }

    /** Waits for the end of the run, printing how it goes every few seconds. */
    LoadResult await(Progress progress) throws InterruptedException {
        long nextReport = startAt + PROGRESS_NANOS;
        for (Thread thread : threads) {
            while (thread.isAlive()) {
                thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(nextReport - System.nanoTime())));
                long now = System.nanoTime();
                if (now >= nextReport && thread.isAlive()) {
                    long seconds = TimeUnit.NANOSECONDS.toSeconds(now - startAt);
                    progress.line("  %s: %d s of %d, %,d served (%,.0f/s), %,d failed", label, seconds,
                            duration.toSeconds(), served.sum(), served.sum() / (double) Math.max(1, seconds),
                            failed.sum());
                    // Awaited after another run, this one may be ticks behind: report once, then on time.
                    while (nextReport <= now) {
                        nextReport += PROGRESS_NANOS;
                    }
                }
            }
        }
        if (crash.get() != null) {
            throw new IllegalStateException("A load thread of " + label + " failed", crash.get());
        }
        Histogram all = new Histogram(HIGHEST_MICROS, 3);
        for (Histogram latency : latencies) {
            all.add(latency);
        }
        return new LoadResult(label, served.sum(), failed.sum(), duration, targetPerSecond, all);
    }

    private void drive(ServiceEndpoint endpoint, ConnectionWorkload workload, Histogram latency, long firstAt,
            long intervalNanos) {
        try (HttpConnection connection = endpoint.connect()) {
            try {
                connection.open();
            } catch (IOException e) {
                // The first exchange tries again and counts the failure.
            }
            for (long k = 0; ; k++) {
                byte[] request = workload.nextRequest();
                long intended;
                if (intervalNanos == 0) {
                    sleepUntil(startAt);
                    intended = System.nanoTime();
                } else {
                    intended = firstAt + k * intervalNanos;
                }
                // A connection that fell behind stops at the end too: what it did not send shows
                // as a rate below the intended one.
                if (intended >= endAt || System.nanoTime() >= endAt) {
                    return;
                }
                sleepUntil(intended);
                boolean accepted;
                boolean answered = true;
                try {
                    connection.exchange(request);
                    accepted = workload.accepts(connection);
                } catch (IOException e) {
                    accepted = false;
                    answered = false;
                }
                latency.recordValue(Math.min(HIGHEST_MICROS, (System.nanoTime() - intended) / 1000));
                (accepted ? served : failed).increment();
                if (!answered) {
                    LockSupport.parkNanos(PAUSE_AFTER_IO_FAILURE_NANOS);
                }
            }
        }
    }

    private static void sleepUntil(long nanoTime) {
        for (long left = nanoTime - System.nanoTime(); left > 0; left = nanoTime - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }
}

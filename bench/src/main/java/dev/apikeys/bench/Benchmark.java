package dev.apikeys.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * {@code ./bench/run}: measures the standalone service on this machine and prints its figures.
 * <p>
 * The phases run in an order that keeps each figure its own: pgbench before the service loads the
 * database server; the HTTP phases on a small store; the Kafka outage and the replay last, since
 * the events they add with SQL keep the processors and the verification feed busy for a while.
 * The outage comes before the replay: its backlog of 100,000 events is then all the audit
 * publisher has to catch up with, not the million the replay phase adds; that phase restarts the
 * service on them. A phase that fails is reported as failed and the run goes on.
 */
final class Benchmark {

    private static final RunFiles FILES = new RunFiles(Path.of("bench/target"));

    private final BenchSettings settings;
    private final Progress progress = new Progress();
    private final Report report = new Report(BenchmarkFigures.ALL);
    private final long runEndsAt = System.nanoTime() + BenchSettings.RUN_BUDGET.toNanos();

    private Benchmark(BenchSettings settings) {
        this.settings = settings;
    }

    public static void main(String[] args) throws Exception {
        BenchSettings settings = BenchSettings.fromEnvironment(System.getenv());
        if (!Files.isRegularFile(ServiceLaunch.JAR)) {
            throw new IllegalStateException(ServiceLaunch.JAR + " is missing; run ./bench/run from the repository root");
        }
        new Benchmark(settings).run();
    }

    private void run() throws Exception {
        progress.line("bench: scale %s%s; service output in %s", settings.scale(),
                settings.flightRecordings() ? ", flight recordings in " + FILES.flightRecordings() : "",
                FILES.serviceLog());
        Files.createDirectories(FILES.directory());
        BenchDatabase database = new BenchDatabase("apikeys_bench");
        database.recreate();
        progress.line("database %s recreated on %s:%d", database.name(), BenchDatabase.HOST, BenchDatabase.PORT);
        phase("pgbench", () -> {
            double tps = new PgbenchBaseline(database).run(settings.seconds(15), progress);
            progress.line("  pgbench: %,.0f inserts/s", tps);
            report.record(BenchmarkFigures.PGBENCH_INSERT_TPS, tps);
        });

        ServiceProcess service;
        try (ServiceUnderTest underTest = ServiceUnderTest.start(database, FILES, settings.flightRecordings(),
                progress)) {
            service = underTest.service();
            boolean healthy = phase("service start", () -> {
                long starting = System.nanoTime();
                underTest.awaitHealthy();
                progress.line("  healthy after %.1f s on port %d", (System.nanoTime() - starting) / 1e9,
                        underTest.endpoint().port());
            });
            if (healthy) {
                measure(underTest);
            }
            OptionalLong peak = service.peakResidentKibibytes();
            if (peak.isPresent()) {
                report.record(BenchmarkFigures.SERVICE_RSS_MB, peak.getAsLong() / 1024.0);
            } else {
                report.phaseFailed("service_rss_mb", "the service was not running at the end");
            }
            progress.line("stopping the service and the Kafka broker");
        }
        service.problemsInLog().forEach(line -> progress.line("service log: %s", line));
        progress.line("done in %d s", progress.elapsedSeconds());
        report.print(System.out);
    }

    private void measure(ServiceUnderTest underTest) {
        PhaseContext context = new PhaseContext(settings, progress, underTest.endpoint(), underTest.tokens(),
                underTest.admin(), underTest.service(), underTest.database(), report, runEndsAt);
        Supplier<CpuUsage> cpu = underTest::cpuUsage;
        CreatePhases creates = new CreatePhases(context);
        servicePhase(context, cpu, "create-closed-loop", creates::closedLoop);
        servicePhase(context, cpu, "create-fixed-rate", creates::fixedRate);
        servicePhase(context, cpu, "get", () -> new ListPhase(context).run(creates.issuedKeys()));
        servicePhase(context, cpu, "verify", () -> new VerifyPhases(context).run(creates.issuedKeys()));
        servicePhase(context, cpu, "audit-catch-up", () -> new AuditCatchUpPhase(context, underTest.broker()).run());
        servicePhase(context, cpu, "replay", () -> new ReplayPhase(context).run());
    }

    /** A phase that loads the service: recorded with JFR when asked for, and followed by who used the CPU. */
    private void servicePhase(PhaseContext context, Supplier<CpuUsage> cpu, String name, Phase.Body body) {
        if (!context.service().isAlive()) {
            progress.line("%s FAILED: the service is not running", name);
            report.phaseFailed(name, "the service is not running; see " + context.service().log());
            return;
        }
        phase(name, () -> {
            try (ServiceProcess.FlightRecording recording = context.service().flightRecording(name)) {
                CpuUsage before = cpu.get();
                try {
                    body.run();
                } finally {
                    progress.line("  cpu during %s: %s", name, cpu.get().since(before));
                }
            }
        });
    }

    /** @return whether the phase completed */
    private boolean phase(String name, Phase.Body body) {
        Optional<String> failure = Phase.run(name, progress, body);
        failure.ifPresent(reason -> report.phaseFailed(name, reason));
        return failure.isEmpty();
    }
}

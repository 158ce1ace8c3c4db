package dev.apikeys.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
 * publisher has to catch up with, not the million the replay phase adds, and the replay phase
 * waits for every processor anyway. A phase that fails is reported as failed and the run goes on.
 */
final class Benchmark {

    private static final Path TARGET = Path.of("bench/target");
    private static final Path KAFKA_LOG = TARGET.resolve("kafka.log");
    private static final Duration SERVICE_START_TIMEOUT = Duration.ofSeconds(180);

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
                settings.flightRecordings() ? ", flight recordings in " + ServiceProcess.FLIGHT_RECORDINGS : "",
                ServiceProcess.LOG);
        Files.createDirectories(TARGET);
        BenchDatabase database = new BenchDatabase();
        database.recreate();
        progress.line("database %s recreated on %s:%d", BenchDatabase.NAME, BenchDatabase.HOST, BenchDatabase.PORT);
        phase("pgbench", () -> {
            double tps = new PgbenchBaseline(database).run(settings.seconds(15), progress);
            progress.line("  pgbench: %,.0f inserts/s", tps);
            report.record(BenchmarkFigures.PGBENCH_INSERT_TPS, tps);
        });

        try (ChildProcesses children = new ChildProcesses()) {
            KafkaBrokerProcess broker = new KafkaBrokerProcess(children.temporaryDirectory("apikeys-bench-kafka-"),
                    freePort(), KAFKA_LOG);
            children.started(broker);
            broker.start();
            progress.line("Kafka broker ready on %s (a child JVM, output in %s)", broker.bootstrapServers(), KAFKA_LOG);

            ServiceEndpoint endpoint = new ServiceEndpoint(BenchDatabase.HOST, freePort());
            BearerTokens tokens = new BearerTokens(ServiceLaunch.HMAC_SECRET);
            ServiceAdmin admin = new ServiceAdmin(endpoint, tokens);
            List<String> command = ServiceLaunch.command(endpoint.port(), broker.bootstrapServers(),
                    children.temporaryDirectory("apikeys-bench-data-"));
            progress.line("starting the service: %s", String.join(" ", command));
            ServiceProcess service = ServiceProcess.start(command, settings.flightRecordings());
            children.started(service);
            boolean healthy = phase("service start", () -> {
                long starting = System.nanoTime();
                service.awaitHealthy(admin, SERVICE_START_TIMEOUT);
                progress.line("  healthy after %.1f s on port %d", (System.nanoTime() - starting) / 1e9, endpoint.port());
            });
            if (healthy) {
                measure(new PhaseContext(settings, progress, endpoint, tokens, admin, service, database, report,
                        runEndsAt), broker);
            }
            OptionalLong peak = service.peakResidentKibibytes();
            if (peak.isPresent()) {
                report.record(BenchmarkFigures.SERVICE_RSS_MB, peak.getAsLong() / 1024.0);
            } else {
                report.phaseFailed("service_rss_mb", "the service was not running at the end");
            }
            progress.line("stopping the service and the Kafka broker");
        }
        ServiceProcess.problemsInLog().forEach(line -> progress.line("service log: %s", line));
        progress.line("done in %d s", progress.elapsedSeconds());
        report.print(System.out);
    }

    private void measure(PhaseContext context, KafkaBrokerProcess broker) {
        Optional<ProcessHandle> postgres = context.database().serverProcess();
        Supplier<CpuUsage> cpu = () -> CpuUsage.now(context.service(), postgres, broker);
        CreatePhases creates = new CreatePhases(context);
        servicePhase(context, cpu, "create-closed-loop", creates::closedLoop);
        servicePhase(context, cpu, "create-fixed-rate", creates::fixedRate);
        servicePhase(context, cpu, "get", () -> new ListPhase(context).run(creates.issuedKeys()));
        servicePhase(context, cpu, "verify", () -> new VerifyPhases(context).run(creates.issuedKeys()));
        servicePhase(context, cpu, "audit-catch-up", () -> new AuditCatchUpPhase(context, broker).run());
        servicePhase(context, cpu, "replay", () -> new ReplayPhase(context).run());
    }

    /** A phase that loads the service: recorded with JFR when asked for, and followed by who used the CPU. */
    private void servicePhase(PhaseContext context, Supplier<CpuUsage> cpu, String name, PhaseBody body) {
        if (!context.service().isAlive()) {
            progress.line("%s FAILED: the service is not running", name);
            report.phaseFailed(name, "the service is not running; see " + ServiceProcess.LOG);
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
    private boolean phase(String name, PhaseBody body) {
        progress.line("== %s", name);
        try {
            body.run();
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted in phase " + name, e);
        } catch (Exception e) {
            String reason = e.getMessage() == null ? e.toString() : e.getMessage();
            progress.line("%s FAILED: %s", name, reason);
            if (!(e instanceof PhaseFailed)) {
                e.printStackTrace(System.out);
            }
            report.phaseFailed(name, reason);
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(BenchDatabase.HOST))) {
            return socket.getLocalPort();
        }
    }

    private interface PhaseBody {
        void run() throws Exception;
    }
}

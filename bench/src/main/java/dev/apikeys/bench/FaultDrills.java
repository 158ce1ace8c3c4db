package dev.apikeys.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@code ./bench/faults}: the fault drills, run one after another against one standalone service
 * on a database of their own ({@value #DATABASE}) and the harness's Kafka broker. Each prints its
 * figures, then whether it passed; the exit status is 1 if any drill failed. Arguments name the
 * drills to run (default: all, in the order below).
 * <p>
 * The crash goes last: its checks hold the whole store against the read model and the audit topic,
 * so they cover the events of the Kafka outage too.
 */
final class FaultDrills {

    private static final String DATABASE = "apikeys_faults";
    private static final RunFiles FILES = new RunFiles(Path.of("bench/target/faults"));
    private static final List<FaultDrill> DRILLS = List.of(new KafkaOutageDrill(), new ServiceKillDrill());

    private final Progress progress = new Progress();

    private FaultDrills() {
    }

    public static void main(String[] args) throws Exception {
        if (!Files.isRegularFile(ServiceLaunch.JAR)) {
            throw new IllegalStateException(ServiceLaunch.JAR + " is missing; run ./bench/faults from the repository root");
        }
        List<FaultDrill> drills = new ArrayList<>();
        for (String name : args) {
            Optional<FaultDrill> drill = DRILLS.stream().filter(known -> known.name().equals(name)).findFirst();
            if (drill.isEmpty()) {
                System.err.println("No drill " + name + "; the drills are "
                        + DRILLS.stream().map(FaultDrill::name).collect(Collectors.joining(", ")));
                System.exit(2);
            }
            drills.add(drill.get());
        }
        boolean passed = new FaultDrills().run(drills.isEmpty() ? DRILLS : drills);
        System.exit(passed ? 0 : 1);
    }

    /** @return whether every drill passed */
    private boolean run(List<FaultDrill> drills) throws Exception {
        progress.line("faults: %s; service output in %s",
                drills.stream().map(FaultDrill::name).collect(Collectors.joining(", ")), FILES.serviceLog());
        Files.createDirectories(FILES.directory());
        BenchDatabase database = new BenchDatabase(DATABASE);
        database.recreate();
        progress.line("database %s recreated on %s:%d", database.name(), BenchDatabase.HOST, BenchDatabase.PORT);

        Map<FaultDrill, Boolean> passed = new LinkedHashMap<>();
        ServiceProcess service;
        try (ServiceUnderTest underTest = ServiceUnderTest.start(database, FILES, false, progress)) {
            service = underTest.service();
            Optional<String> unhealthy = Phase.run("service start", progress, () -> {
                long starting = System.nanoTime();
                underTest.awaitHealthy();
                progress.line("  healthy after %.1f s on port %d", (System.nanoTime() - starting) / 1e9,
                        underTest.endpoint().port());
            });
            for (FaultDrill drill : drills) {
                passed.put(drill, drill(drill, underTest, unhealthy));
            }
            progress.line("stopping the service and the Kafka broker");
        }
        service.problemsInLog().forEach(line -> progress.line("service log: %s", line));
        progress.line("done in %d s", progress.elapsedSeconds());
        System.out.println();
        passed.forEach((drill, result) -> System.out.println("drill " + drill.name() + ": "
                + (result ? "PASSED" : "FAILED")));
        return !passed.containsValue(false);
    }

    /** Runs one drill and prints its report; a drill that cannot run because the service is down fails. */
    private boolean drill(FaultDrill drill, ServiceUnderTest underTest, Optional<String> unhealthy) {
        Report report = new Report(drill.figures());
        if (unhealthy.isPresent() || !underTest.service().isAlive()) {
            progress.line("%s FAILED: the service is not running", drill.name());
            report.phaseFailed(drill.name(), "the service is not running; see " + FILES.serviceLog());
        } else {
            CpuUsage before = underTest.cpuUsage();
            Phase.run(drill.name(), progress, () -> drill.run(underTest, progress, report))
                    .ifPresent(reason -> report.phaseFailed(drill.name(), reason));
            progress.line("  cpu during %s: %s", drill.name(), underTest.cpuUsage().since(before));
        }
        report.print(System.out);
        boolean passed = report.passed();
        System.out.println("drill " + drill.name() + ": " + (passed ? "PASSED" : "FAILED"));
        return passed;
    }
}

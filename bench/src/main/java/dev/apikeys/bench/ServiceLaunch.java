package dev.apikeys.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How the harness starts the service it measures: the JVM's options and the service's arguments.
 * They are part of what is measured, so they are all here, in one place, to be tuned.
 */
final class ServiceLaunch {

    static final Path JAR = Path.of("standalone/target/apikeys-standalone.jar");
    /** Known to the harness, which mints its own tokens with it; at least 32 bytes. */
    static final String HMAC_SECRET = "bench-hmac-secret-of-at-least-32-bytes-long";

    static final List<String> JVM_OPTIONS = List.of(
            // As a container limit would: unset, the JVM would take up to a quarter of this
            // machine's 24 GiB and service_rss_mb would measure the machine, not the service.
            // With 512 MB G1 used all of it (heap after young collections reached 509 MB, old
            // garbage included) and the process peaked at 880 MB of the 768 allowed.
            "-Xmx384m",
            // Better a failed phase than figures from a JVM limping along after an OOM, and a
            // heap dump (see command) to see what filled the heap.
            "-XX:+ExitOnOutOfMemoryError",
            "-XX:+HeapDumpOnOutOfMemoryError");

    /** Settings of the service under measurement, beyond where its database and Kafka are. */
    static final List<String> SERVICE_ARGUMENTS = List.of(
            // ryw_wait_p99_ms is computed from this timer's buckets. The brackets keep the map key
            // whole; unbracketed, Spring drops its underscores and the setting matches no meter.
            "--management.metrics.distribution.percentiles-histogram[apikeys.read_your_writes.wait]=true",
            // As on its embedded database, the service is the only process that writes keys' events
            // (the events the harness appends itself are of keys deleted, which no one verifies).
            "--apikeys.verify.writes-in-this-process-only=true");

    private ServiceLaunch() {
    }

    static List<String> command(int httpPort, String kafkaBootstrapServers, BenchDatabase database,
            Path dataDirectory, RunFiles files) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_OPTIONS);
        command.add("-XX:HeapDumpPath=" + files.heapDump());
        command.add("-jar");
        command.add(JAR.toString());
        command.add("--spring.datasource.url=" + database.url());
        command.add("--spring.datasource.username=" + BenchDatabase.USER);
        command.add("--spring.datasource.password=");
        command.add("--apikeys.audit.bootstrap-servers=" + kafkaBootstrapServers);
        command.add("--apikeys.security.hmac-secret=" + HMAC_SECRET);
        command.add("--server.port=" + httpPort);
        command.add("--apikeys.standalone.data-dir=" + dataDirectory);
        command.addAll(SERVICE_ARGUMENTS);
        return command;
    }
}

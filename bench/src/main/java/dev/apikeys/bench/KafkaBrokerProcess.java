package dev.apikeys.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The Kafka broker in a child JVM ({@link KafkaBrokerMain}), which the harness starts, kills and restarts. */
final class KafkaBrokerProcess implements AutoCloseable {

    /**
     * Small and light: the broker shares the two cores with the service and the load, and a
     * serial collector keeps its GC to one thread.
     */
    private static final List<String> JVM_OPTIONS = List.of("-Xmx384m", "-XX:+UseSerialGC");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private final Path logDirectory;
    private final int port;
    private final Path output;
    private final ChildJvm jvm = new ChildJvm();

    KafkaBrokerProcess(Path logDirectory, int port, Path output) {
        this.logDirectory = logDirectory;
        this.port = port;
        this.output = output;
    }

    String bootstrapServers() {
        return BenchDatabase.HOST + ":" + port;
    }

    /** Starts the broker and returns once it accepts clients. */
    void start() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_OPTIONS);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), KafkaBrokerMain.class.getName(),
                logDirectory.toString(), Integer.toString(port)));
        Process started = jvm.start(new ProcessBuilder(command).redirectError(Redirect.appendTo(output.toFile())));
        CompletableFuture<Void> ready = new CompletableFuture<>();
        Thread readiness = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(started.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (line.equals(KafkaBrokerMain.READY)) {
                        ready.complete(null);
                    }
                }
            } catch (IOException e) {
                // The broker JVM is gone; the wait below says so.
            }
            ready.completeExceptionally(new IOException("The Kafka broker exited before it was ready; see " + output));
        }, "kafka-broker-output");
        readiness.setDaemon(true);
        readiness.start();
        try {
            ready.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            kill();
            throw new IOException(e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            kill();
            throw new IOException("The Kafka broker was not ready within " + START_TIMEOUT.toSeconds() + " s; see "
                    + output);
        }
    }

    /** CPU time the broker's JVMs have used so far. */
    Duration cpuTime() {
        return jvm.cpuTime();
    }

    /** Takes Kafka away at once, as a crash would: SIGKILL, no graceful shutdown. */
    void kill() throws InterruptedException {
        jvm.kill();
    }

    /** Stops the broker gracefully (closing its input tells it to), or kills it if it takes too long. */
    @Override
    public void close() throws InterruptedException {
        jvm.stop(process -> {
            try {
                process.getOutputStream().close();
            } catch (IOException e) {
                // Already closed: the broker is on its way out.
            }
        }, STOP_TIMEOUT);
    }
}

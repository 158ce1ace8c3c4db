package dev.apikeys.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a run starts and must stop however it ends (done, failed, Ctrl-C): the service, then the
 * broker it publishes to, then their temporary directories. Closed at the end of the run and by a
 * shutdown hook; closing twice does nothing.
 */
final class ChildProcesses implements AutoCloseable {

    private ServiceProcess service;
    private KafkaBrokerProcess broker;
    private final List<Path> directories = new ArrayList<>();
    private boolean closed;

    ChildProcesses() {
        Runtime.getRuntime().addShutdownHook(new Thread(this::closeOnExit, "bench-shutdown"));
    }

    synchronized Path temporaryDirectory(String prefix) throws IOException {
        Path directory = Files.createTempDirectory(prefix);
        directories.add(directory);
        return directory;
    }

    synchronized void started(KafkaBrokerProcess startedBroker) {
        broker = startedBroker;
    }

    synchronized void started(ServiceProcess startedService) {
        service = startedService;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (service != null) {
                service.close();
            }
            if (broker != null) {
                broker.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        directories.forEach(ChildProcesses::delete);
    }

    /** Ctrl-C or a kill: say why the run ends here, then stop everything. */
    private synchronized void closeOnExit() {
        if (!closed) {
            System.out.println("interrupted: stopping the service and the Kafka broker");
            close();
        }
    }

    private static void delete(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            System.err.println("Could not delete " + directory + ": " + e.getMessage());
        }
    }
}

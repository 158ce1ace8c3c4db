package dev.apikeys.standalone.embedded;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded servers of one standalone data directory. Every Spring context of this JVM that
 * uses the directory shares them (a test run keeps several contexts open at once, and two servers
 * cannot share one directory); the last user to leave stops them.
 */
final class EmbeddedInfrastructure {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedInfrastructure.class);
    private static final Map<Path, EmbeddedInfrastructure> byDataDirectory = new HashMap<>();

    private final Path dataDirectory;
    // Separate locks so the database and the broker can start side by side.
    private final Object postgresLock = new Object();
    private final Object kafkaLock = new Object();
    private EmbeddedPostgresServer postgres;
    private EmbeddedKafkaBroker kafkaBroker;
    private int users;

    private EmbeddedInfrastructure(Path dataDirectory) {
        this.dataDirectory = dataDirectory;
    }

    /** Each call must be matched by one {@link #release()}. */
    static synchronized EmbeddedInfrastructure acquire(Path dataDirectory) {
        Path key = dataDirectory.toAbsolutePath().normalize();
        EmbeddedInfrastructure infrastructure = byDataDirectory.computeIfAbsent(key, EmbeddedInfrastructure::new);
        infrastructure.users++;
        return infrastructure;
    }

    /** Stops every server still running, for the JVM's shutdown. */
    static void stopAll() {
        List<EmbeddedInfrastructure> running;
        synchronized (EmbeddedInfrastructure.class) {
            running = new ArrayList<>(byDataDirectory.values());
            byDataDirectory.clear();
        }
        running.forEach(EmbeddedInfrastructure::stopServers);
    }

    void release() {
        synchronized (EmbeddedInfrastructure.class) {
            if (--users > 0) {
                return;
            }
            byDataDirectory.remove(dataDirectory, this);
        }
        stopServers();
    }

    EmbeddedPostgresServer startedPostgres() {
        synchronized (postgresLock) {
            if (postgres == null) {
                postgres = new EmbeddedPostgresServer(dataDirectory.resolve("postgres"), dataDirectory.resolve("postgres.log"));
            }
            postgres.start();
            return postgres;
        }
    }

    /**
     * The directory's broker, started or not; the port counts only for the first call, later
     * users share the one broker.
     */
    EmbeddedKafkaBroker kafkaBroker(int port) {
        synchronized (kafkaLock) {
            if (kafkaBroker == null) {
                kafkaBroker = new EmbeddedKafkaBroker(dataDirectory.resolve("kafka"), port);
            } else if (port != 0 && port != kafkaBroker.port()) {
                log.warn("Kafka port {} ignored: the embedded broker for {} already listens on {}",
                        port, dataDirectory, kafkaBroker.port());
            }
            return kafkaBroker;
        }
    }

    private void stopServers() {
        synchronized (kafkaLock) {
            if (kafkaBroker != null) {
                kafkaBroker.stop();
            }
        }
        synchronized (postgresLock) {
            if (postgres != null) {
                postgres.stop();
            }
        }
    }
}

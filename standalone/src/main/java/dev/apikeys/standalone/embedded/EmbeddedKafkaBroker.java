package dev.apikeys.standalone.embedded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node KRaft Kafka broker (broker and controller in one) running inside this JVM,
 * listening on 127.0.0.1 and keeping its log in one directory. The directory is formatted on
 * first start, which generates the cluster id that meta.properties keeps from then on. It can be
 * stopped and started again on the same port and directory, e.g. to simulate an outage.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final int NODE_ID = 1;
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final String HOST = "127.0.0.1";
    private static final String SIXTEEN_MIB = Integer.toString(16 * 1024 * 1024);

    private final Path logDirectory;
    private final int port;
    private KafkaRaftServer server;

    /**
     * @param logDirectory where the broker keeps its log and metadata, created on first start
     * @param port the client port, or 0 for a free one chosen now and kept across restarts
     */
    public EmbeddedKafkaBroker(Path logDirectory, int port) {
        this.logDirectory = logDirectory.toAbsolutePath().normalize();
        this.port = port == 0 ? LocalPorts.free() : port;
    }

    public synchronized void start() {
        if (server != null) {
            return;
        }
        long startedAt = System.nanoTime();
        formatOnFirstStart();
        KafkaRaftServer starting = new KafkaRaftServer(new KafkaConfig(brokerProperties(LocalPorts.free()), false), Time.SYSTEM);
        try {
            // Returns once the broker is unfenced, i.e. ready for clients.
            starting.startup();
        } catch (RuntimeException e) {
            starting.shutdown();
            starting.awaitShutdown();
            throw e;
        }
        server = starting;
        log.info("Embedded Kafka broker started on {} with log in {} in {} ms",
                bootstrapServers(), logDirectory, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt));
    }

    public synchronized void stop() {
        if (server == null) {
            return;
        }
        try {
            server.shutdown();
            server.awaitShutdown();
        } finally {
            server = null;
        }
        log.info("Embedded Kafka broker stopped");
    }

    @Override
    public void close() {
        stop();
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    public String bootstrapServers() {
        return HOST + ":" + port;
    }

    public int port() {
        return port;
    }

    private Map<String, String> brokerProperties(int controllerPort) {
        Map<String, String> properties = new HashMap<>();
        properties.put("process.roles", "broker,controller");
        properties.put("node.id", Integer.toString(NODE_ID));
        // A static single-voter quorum keeps no endpoint on disk, so the controller may take
        // a different free port on every start.
        properties.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        properties.put("controller.listener.names", CONTROLLER_LISTENER);
        properties.put("listeners", "PLAINTEXT://" + HOST + ":" + port + "," + CONTROLLER_LISTENER + "://" + HOST + ":" + controllerPort);
        properties.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + port);
        properties.put("inter.broker.listener.name", "PLAINTEXT");
        properties.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        properties.put("log.dirs", logDirectory.toString());

        properties.put("auto.create.topics.enable", "false");
        properties.put("num.partitions", "1");
        properties.put("default.replication.factor", "1");
        properties.put("min.insync.replicas", "1");
        properties.put("offsets.topic.replication.factor", "1");
        properties.put("offsets.topic.num.partitions", "1");
        properties.put("transaction.state.log.replication.factor", "1");
        properties.put("transaction.state.log.min.isr", "1");
        properties.put("transaction.state.log.num.partitions", "1");
        properties.put("group.initial.rebalance.delay.ms", "0");
        // After kill -9 the controller refuses the broker's new registration until the old one's
        // session expires; broker and controller share this JVM, so a short session is safe.
        properties.put("broker.session.timeout.ms", "2000");
        properties.put("broker.heartbeat.interval.ms", "500");
        // The audit stream is kept forever; a topic may still ask for less.
        properties.put("log.retention.ms", "-1");

        // A small footprint for a developer's machine.
        properties.put("log.segment.bytes", SIXTEEN_MIB);
        properties.put("offsets.topic.segment.bytes", SIXTEEN_MIB);
        properties.put("transaction.state.log.segment.bytes", SIXTEEN_MIB);
        properties.put("log.index.size.max.bytes", Integer.toString(1024 * 1024));
        properties.put("log.cleaner.dedupe.buffer.size", Integer.toString(8 * 1024 * 1024));
        properties.put("log.cleaner.threads", "1");
        properties.put("num.network.threads", "2");
        properties.put("num.io.threads", "2");
        properties.put("background.threads", "2");
        properties.put("num.replica.fetchers", "1");
        properties.put("num.recovery.threads.per.data.dir", "1");
        return properties;
    }

    /** The metadata log shares the one log directory. */
    private void formatOnFirstStart() {
        if (Files.exists(logDirectory.resolve("meta.properties"))) {
            return;
        }
        ByteArrayOutputStream report = new ByteArrayOutputStream();
        try (PrintStream reportStream = new PrintStream(report, true, StandardCharsets.UTF_8)) {
            Files.createDirectories(logDirectory);
            new Formatter()
                    .setPrintStream(reportStream)
                    .setNodeId(NODE_ID)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .setMetadataLogDirectory(logDirectory.toString())
                    .addDirectory(logDirectory.toString())
                    .run();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not format Kafka log directory " + logDirectory, e);
        } catch (Exception e) {
            throw new IllegalStateException("Could not format Kafka log directory " + logDirectory, e);
        }
        log.info("Formatted Kafka log directory: {}", report.toString(StandardCharsets.UTF_8).strip());
    }
}

package dev.apikeys.bench;

import dev.apikeys.standalone.embedded.LocalPorts;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The standalone service as a run starts it: a Kafka broker in a child JVM, then the service
 * against the run's database, both on free ports of 127.0.0.1, with the clients that call it.
 * Closing it stops both, as does Ctrl-C (see {@link ChildProcesses}).
 */
final class ServiceUnderTest implements AutoCloseable {

    /** A cold start of Spring, Axon and Flyway while other builds share the two cores. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);

    private final ChildProcesses children;
    private final KafkaBrokerProcess broker;
    private final ServiceProcess service;
    private final ServiceEndpoint endpoint;
    private final BearerTokens tokens = new BearerTokens(ServiceLaunch.HMAC_SECRET);
    private final ServiceAdmin admin;
    private final BenchDatabase database;
    private final Optional<ProcessHandle> postgres;

    private ServiceUnderTest(ChildProcesses children, KafkaBrokerProcess broker, ServiceProcess service,
            ServiceEndpoint endpoint, BenchDatabase database) {
        this.children = children;
        this.broker = broker;
        this.service = service;
        this.endpoint = endpoint;
        this.admin = new ServiceAdmin(endpoint, tokens);
        this.database = database;
        this.postgres = database.serverProcess();
    }

    /** Starts the broker and waits until it is ready, then starts the service; {@link #awaitHealthy} waits for that. */
    static ServiceUnderTest start(BenchDatabase database, RunFiles files, boolean flightRecordings, Progress progress)
            throws IOException, InterruptedException {
        ChildProcesses children = new ChildProcesses();
        try {
            KafkaBrokerProcess broker = new KafkaBrokerProcess(children.temporaryDirectory("apikeys-bench-kafka-"),
                    LocalPorts.free(), files.kafkaLog());
            children.started(broker);
            broker.start();
            progress.line("Kafka broker ready on %s (a child JVM, output in %s)", broker.bootstrapServers(),
                    files.kafkaLog());

            ServiceEndpoint endpoint = new ServiceEndpoint(BenchDatabase.HOST, LocalPorts.free());
            List<String> command = ServiceLaunch.command(endpoint.port(), broker.bootstrapServers(), database,
                    children.temporaryDirectory("apikeys-bench-data-"), files);
            progress.line("starting the service: %s", String.join(" ", command));
            ServiceProcess service = new ServiceProcess(command, files, flightRecordings);
            children.started(service);
            service.start();
            return new ServiceUnderTest(children, broker, service, endpoint, database);
        } catch (IOException | InterruptedException | RuntimeException e) {
            children.close();
            throw e;
        }
    }

    /** Waits until the service answers its health check, or fails the phase. */
    void awaitHealthy() throws InterruptedException {
        service.awaitHealthy(admin, START_TIMEOUT);
    }

    KafkaBrokerProcess broker() {
        return broker;
    }

    ServiceProcess service() {
        return service;
    }

    ServiceEndpoint endpoint() {
        return endpoint;
    }

    BearerTokens tokens() {
        return tokens;
    }

    ServiceAdmin admin() {
        return admin;
    }

    BenchDatabase database() {
        return database;
    }

    /** How the cores are shared now; two of these give the shares in between. */
    CpuUsage cpuUsage() {
        return CpuUsage.now(service, postgres, broker);
    }

    /** Stops the service, then the broker, and deletes their directories. */
    @Override
    public void close() {
        children.close();
    }

}

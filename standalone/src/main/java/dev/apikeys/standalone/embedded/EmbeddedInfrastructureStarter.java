package dev.apikeys.standalone.embedded;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.StringUtils;

/**
 * Gives the standalone service what it was not configured with: an embedded PostgreSQL unless
 * {@code spring.datasource.url} is set, an embedded Kafka broker unless
 * {@code apikeys.audit.bootstrap-servers} is set, and a secret kept in the data directory unless
 * {@code apikeys.security.hmac-secret} is set.
 * <p>
 * Registered in META-INF/spring.factories, so it runs for {@code java -jar} and for tests alike.
 * It acts once the context is prepared and before it refreshes: every property source is in place
 * by then, including a test's {@code @DynamicPropertySource} (which an EnvironmentPostProcessor
 * would not yet see), and nothing has read the database or broker settings yet.
 */
class EmbeddedInfrastructureStarter implements ApplicationListener<ApplicationPreparedEvent> {

    static final String PROPERTY_SOURCE_NAME = "apikeysStandaloneEmbeddedInfrastructure";
    static final String HMAC_SECRET_FILE = StandaloneProperties.PREFIX + ".hmac-secret-file";
    static final String HMAC_SECRET = "apikeys.security.hmac-secret";
    static final String DATASOURCE_URL = "spring.datasource.url";
    static final String BOOTSTRAP_SERVERS = "apikeys.audit.bootstrap-servers";
    static final String WRITES_IN_THIS_PROCESS_ONLY = "apikeys.verify.writes-in-this-process-only";

    private static final Logger log = LoggerFactory.getLogger(EmbeddedInfrastructureStarter.class);
    private static final AtomicBoolean shutdownHandlerRegistered = new AtomicBoolean();

    @Override
    public void onApplicationEvent(ApplicationPreparedEvent event) {
        ConfigurableApplicationContext context = event.getApplicationContext();
        ConfigurableEnvironment environment = context.getEnvironment();
        StandaloneProperties settings = StandaloneProperties.of(environment);
        Path dataDirectory = settings.dataDir().toAbsolutePath().normalize();
        Map<String, Object> properties = new LinkedHashMap<>();

        if (!StringUtils.hasText(environment.getProperty(HMAC_SECRET))) {
            Path secretFile = dataDirectory.resolve("hmac-secret");
            properties.put(HMAC_SECRET, new SecretFile(secretFile).readOrCreate());
            properties.put(HMAC_SECRET_FILE, secretFile.toString());
            log.info("Tokens are signed with the secret kept in {}", secretFile);
        }

        boolean embeddedPostgres = !StringUtils.hasText(environment.getProperty(DATASOURCE_URL));
        boolean embeddedKafka = !StringUtils.hasText(environment.getProperty(BOOTSTRAP_SERVERS));
        if (embeddedPostgres || embeddedKafka) {
            if (shutdownHandlerRegistered.compareAndSet(false, true)) {
                // Runs in Spring Boot's shutdown hook after every context has closed: a last
                // resort for servers whose context never got to close.
                SpringApplication.getShutdownHandlers().add(EmbeddedInfrastructure::stopAll);
            }
            start(dataDirectory, embeddedPostgres, embeddedKafka, settings.kafkaPort(), properties)
                    .registerWith(context);
        }
        if (embeddedPostgres && !environment.containsProperty(WRITES_IN_THIS_PROCESS_ONLY)) {
            // No other process writes to the embedded database (its lock file keeps other JVMs off
            // the data directory): each write reaches the keys in memory before it answers, and
            // verifications need not read the store.
            properties.put(WRITES_IN_THIS_PROCESS_ONLY, "true");
        }

        if (!properties.isEmpty()) {
            // First, so that a blank value given elsewhere does not win.
            environment.getPropertySources().addFirst(new MapPropertySource(PROPERTY_SOURCE_NAME, properties));
        }
    }

    /**
     * Starts the database on this thread, and the broker on its own: the context needs only the
     * database to build its beans, and waits for the broker once they are built (see the lease).
     */
    private static EmbeddedInfrastructureLease start(Path dataDirectory, boolean embeddedPostgres, boolean embeddedKafka,
                                                     int kafkaPort, Map<String, Object> properties) {
        long startedAt = System.nanoTime();
        EmbeddedInfrastructure infrastructure = EmbeddedInfrastructure.acquire(dataDirectory);
        EmbeddedKafkaBroker kafkaBroker = embeddedKafka ? infrastructure.kafkaBroker(kafkaPort) : null;
        FutureTask<Void> kafkaStart = new FutureTask<>(() -> {
            if (kafkaBroker != null) {
                kafkaBroker.start();
            }
            return null;
        });
        Thread kafkaStarter = new Thread(kafkaStart, "embedded-kafka-start");
        // Kafka loads classes through the context class loader, which in a Boot jar is not the system one.
        kafkaStarter.setContextClassLoader(Thread.currentThread().getContextClassLoader());
        kafkaStarter.start();
        try {
            EmbeddedPostgresServer postgres = embeddedPostgres ? infrastructure.startedPostgres() : null;
            if (postgres != null) {
                properties.put(DATASOURCE_URL, postgres.jdbcUrl());
                properties.put("spring.datasource.username", EmbeddedPostgresServer.USERNAME);
                properties.put("spring.datasource.password", postgres.password());
                log.info("Embedded PostgreSQL for {} ready in {} ms", dataDirectory,
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt));
            }
            if (kafkaBroker != null) {
                properties.put(BOOTSTRAP_SERVERS, kafkaBroker.bootstrapServers());
            }
            return new EmbeddedInfrastructureLease(infrastructure, postgres, kafkaBroker, kafkaStart);
        } catch (RuntimeException e) {
            // Wait for the broker's start to end either way, so that release() stops it.
            waitFor(kafkaStarter);
            infrastructure.release();
            throw e;
        }
    }

    private static void waitFor(Thread thread) {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

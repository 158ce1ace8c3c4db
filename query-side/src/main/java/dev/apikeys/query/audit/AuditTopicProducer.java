package dev.apikeys.query.audit;

import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The Kafka side of the audit publisher. Nothing connects at startup: the producer and the topic
 * are set up on first use, from the publisher's threads, and a failure there only fails (and later
 * retries) the publisher's batch. Startup, writes and reads never wait on Kafka.
 */
@Component
class AuditTopicProducer {

    private static final Logger log = LoggerFactory.getLogger(AuditTopicProducer.class);

    /**
     * Every Kafka wait is bounded, and a batch's wait (delivery timeout) stays below the token
     * claim timeout (10 s), so a segment is not taken over while its batch is still waiting.
     */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(8);
    private static final Duration MAX_BLOCK = Duration.ofSeconds(3);
    /** Longer than a setup can take: its admin calls are bounded by twice the request timeout. */
    private static final Duration TOPIC_SETUP_WAIT = REQUEST_TIMEOUT.multipliedBy(3);

    private final AuditProperties properties;
    /** One segment at a time sets the topic up. */
    private final ReentrantLock topicSetup = new ReentrantLock();
    private volatile boolean topicReady;
    private Producer<String, byte[]> producer;

    AuditTopicProducer(AuditProperties properties) {
        this.properties = properties;
    }

    /**
     * Sends asynchronously; the future completes when Kafka acknowledged (acks=all) or failed.
     * Segments send concurrently: no lock is held while waiting on Kafka.
     */
    Future<RecordMetadata> send(ProducerRecord<String, byte[]> record) {
        ensureTopic();
        return producer().send(record);
    }

    /**
     * The other segments wait while one sets the topic up (bounded by the setup's own timeouts),
     * rather than failing their first batch and being retried seconds later.
     */
    private void ensureTopic() {
        if (topicReady) {
            return;
        }
        try {
            if (!topicSetup.tryLock(TOPIC_SETUP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AuditPublicationFailed("Another segment is still setting up the audit topic", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AuditPublicationFailed("Interrupted while waiting for the audit topic", e);
        }
        try {
            if (!topicReady) {
                createTopicIfMissing();
                topicReady = true;
            }
        } finally {
            topicSetup.unlock();
        }
    }

    /** Creating a producer does not connect, so holding the lock for it never waits on Kafka. */
    private synchronized Producer<String, byte[]> producer() {
        if (producer == null) {
            producer = new KafkaProducer<>(producerConfig());
        }
        return producer;
    }

    /** Waits for one send, at most as long as the producer itself may take to deliver it. */
    static RecordMetadata acknowledged(Future<RecordMetadata> send) {
        try {
            return send.get(DELIVERY_TIMEOUT.plus(REQUEST_TIMEOUT).toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AuditPublicationFailed("Interrupted while waiting for Kafka", e);
        } catch (ExecutionException e) {
            throw new AuditPublicationFailed("Kafka did not acknowledge an audit record", e.getCause());
        } catch (TimeoutException e) {
            throw new AuditPublicationFailed("Kafka did not answer in time", e);
        }
    }

    private void createTopicIfMissing() {
        NewTopic topic = new NewTopic(properties.topic(), properties.partitions(), properties.replicationFactor())
                // The audit trail is kept for good.
                .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1"));
        try (Admin admin = Admin.create(adminConfig())) {
            admin.createTopics(List.of(topic)).all()
                    .get(REQUEST_TIMEOUT.plus(REQUEST_TIMEOUT).toMillis(), TimeUnit.MILLISECONDS);
            log.info("Created audit topic {} ({} partitions, replication factor {})", properties.topic(),
                    properties.partitions(), properties.replicationFactor());
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new AuditPublicationFailed("Cannot create audit topic " + properties.topic(), e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AuditPublicationFailed("Interrupted while creating audit topic", e);
        } catch (TimeoutException e) {
            throw new AuditPublicationFailed("Kafka did not answer in time creating audit topic", e);
        }
    }

    private Properties adminConfig() {
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, properties.bootstrapServers());
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) REQUEST_TIMEOUT.toMillis());
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) REQUEST_TIMEOUT.plus(REQUEST_TIMEOUT).toMillis());
        return config;
    }

    private Properties producerConfig() {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, properties.bootstrapServers());
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "apikeys-audit-publisher");
        // Idempotence keeps one key's records in order and free of producer-side duplicates.
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, MAX_BLOCK.toMillis());
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) REQUEST_TIMEOUT.toMillis());
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) DELIVERY_TIMEOUT.toMillis());
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return config;
    }

    @PreDestroy
    synchronized void close() {
        if (producer != null) {
            producer.close(REQUEST_TIMEOUT);
        }
    }
}

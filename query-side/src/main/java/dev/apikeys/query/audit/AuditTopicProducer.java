package dev.apikeys.query.audit;

import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 * The Kafka side of the audit publisher. Nothing connects at startup: the topic and the producer
 * are set up on first use, from the publisher's threads, and a failure there only fails (and later
 * retries) the publisher's batch. Startup, writes and reads never wait on Kafka, and every wait on
 * it is bounded.
 */
@Component
class AuditTopicProducer {

    private static final Logger log = LoggerFactory.getLogger(AuditTopicProducer.class);

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(8);

    private final AuditProperties properties;
    private volatile boolean topicReady;
    private Producer<String, byte[]> producer;

    AuditTopicProducer(AuditProperties properties) {
        this.properties = properties;
    }

    /** Sends asynchronously: the future completes when Kafka acknowledged (acks=all) or failed. */
    Future<RecordMetadata> send(ProducerRecord<String, byte[]> record) {
        if (!topicReady) {
            setUpTopic();
        }
        return producer().send(record);
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

    /**
     * One segment sets the topic up (kept for good) while the others wait, bounded by its admin
     * calls' timeouts, rather than failing their first batch and being retried seconds later.
     */
    private synchronized void setUpTopic() {
        if (topicReady) {
            return;
        }
        NewTopic topic = new NewTopic(properties.topic(), properties.partitions(), properties.replicationFactor())
                .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1"));
        try (Admin admin = Admin.create(adminSettings(properties))) {
            admin.createTopics(List.of(topic)).all().get(REQUEST_TIMEOUT.multipliedBy(2).toMillis(), TimeUnit.MILLISECONDS);
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
        topicReady = true;
    }

    /** Creating a producer does not connect, so the lock never waits on Kafka. */
    private synchronized Producer<String, byte[]> producer() {
        if (producer == null) {
            producer = new KafkaProducer<>(producerSettings(properties), new StringSerializer(),
                    new ByteArraySerializer());
        }
        return producer;
    }

    static Map<String, Object> producerSettings(AuditProperties properties) {
        return withClientSettings(properties, Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, properties.bootstrapServers(),
                ProducerConfig.CLIENT_ID_CONFIG, "apikeys-audit-publisher",
                // Idempotence keeps one key's records in order and free of producer-side duplicates.
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.MAX_BLOCK_MS_CONFIG, REQUEST_TIMEOUT.toMillis(),
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) REQUEST_TIMEOUT.toMillis(),
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) DELIVERY_TIMEOUT.toMillis(),
                ProducerConfig.LINGER_MS_CONFIG, 5,
                // A catch-up sends a segment's whole batch at once: fewer, smaller requests carry it
                // than in Kafka's default 16 KiB uncompressed batches (see the README's figures).
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"));
    }

    static Map<String, Object> adminSettings(AuditProperties properties) {
        return withClientSettings(properties, Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, properties.bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) REQUEST_TIMEOUT.toMillis(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) REQUEST_TIMEOUT.multipliedBy(2).toMillis()));
    }

    /** The operator's client settings, then the publisher's own, which win. */
    private static Map<String, Object> withClientSettings(AuditProperties properties, Map<String, Object> own) {
        Map<String, Object> settings = new HashMap<>(properties.client());
        settings.putAll(own);
        return settings;
    }

    @PreDestroy
    synchronized void close() {
        if (producer != null) {
            producer.close(REQUEST_TIMEOUT);
        }
    }
}

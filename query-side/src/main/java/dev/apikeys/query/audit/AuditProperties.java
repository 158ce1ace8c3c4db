package dev.apikeys.query.audit;

import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where and how key events are published ({@code apikeys.audit.*}).
 *
 * @param client further Kafka client settings, for the producer and the topic's creation alike:
 *        how to reach and authenticate to the broker ({@code security.protocol}, {@code sasl.*},
 *        {@code ssl.*}); the publisher's own delivery settings cannot be overridden
 */
@ConfigurationProperties("apikeys.audit")
record AuditProperties(
        @DefaultValue("apikeys.audit.v1") String topic,
        @DefaultValue("/apikeys") String source,
        @DefaultValue("localhost:9092") String bootstrapServers,
        @DefaultValue("3") int partitions,
        @DefaultValue("1") short replicationFactor,
        @DefaultValue Map<String, String> client) {
}

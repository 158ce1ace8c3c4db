package dev.apikeys.query.audit;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** Where and how key events are published ({@code apikeys.audit.*}). */
@ConfigurationProperties("apikeys.audit")
record AuditProperties(
        @DefaultValue("apikeys.audit.v1") String topic,
        @DefaultValue("/apikeys") String source,
        @DefaultValue("localhost:9092") String bootstrapServers,
        @DefaultValue("3") int partitions,
        @DefaultValue("1") short replicationFactor) {
}

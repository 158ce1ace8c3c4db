package dev.apikeys.query.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** How the operator's Kafka client settings reach the publisher's clients. */
class AuditTopicProducerTest {

    @Test
    void theBrokersSecuritySettingsReachBothClientsAndTheDeliverySettingsStayTheService() {
        AuditProperties properties = bind(Map.of(
                "apikeys.audit.bootstrap-servers", "kafka.internal:9093",
                "apikeys.audit.client.security.protocol", "SASL_SSL",
                "apikeys.audit.client.sasl.mechanism", "SCRAM-SHA-512",
                "apikeys.audit.client.sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule"
                        + " required username=\"apikeys\" password=\"secret\";",
                "apikeys.audit.client.acks", "1",
                "apikeys.audit.client.enable.idempotence", "false"));

        Map<String, Object> producer = AuditTopicProducer.producerSettings(properties);
        Map<String, Object> admin = AuditTopicProducer.adminSettings(properties);

        for (Map<String, Object> client : List.of(producer, admin)) {
            assertThat(client).containsEntry("security.protocol", "SASL_SSL")
                    .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                    .containsKey("sasl.jaas.config")
                    .containsEntry("bootstrap.servers", "kafka.internal:9093");
        }
        assertThat(producer).as("records in order, each acknowledged by every replica")
                .containsEntry("acks", "all").containsEntry("enable.idempotence", true);
    }

    @Test
    void withoutClientSettingsTheClientsConnectAsBefore() {
        AuditProperties properties = bind(Map.of());

        assertThat(AuditTopicProducer.producerSettings(properties)).containsEntry("bootstrap.servers", "localhost:9092")
                .doesNotContainKey("security.protocol");
    }

    private static AuditProperties bind(Map<String, String> settings) {
        return new Binder(new MapConfigurationPropertySource(settings))
                .bindOrCreate("apikeys.audit", AuditProperties.class);
    }
}

package dev.apikeys.standalone;

import static dev.apikeys.standalone.Api.KEYS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.apikeys.events.ApiKeyCreated;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.axonframework.serialization.SimpleSerializedType;
import org.axonframework.serialization.upcasting.event.EventUpcaster;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.axonframework.serialization.upcasting.event.SingleEventUpcaster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * An event stored at an older revision of its class reads through Axon's upcasters wherever stored
 * events are read: by the processors (the read model, the audit publisher), by history and
 * {@code as_of}, and by a rebuild. Revision 0 of {@link ApiKeyCreated}, which exists only in this
 * test, called the key's name {@code label}; its upcaster renames the field.
 */
class UpcastingEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN = Tokens.forService("operator", "apikeys:admin");

    private static ConfigurableApplicationContext context;
    private static Api api;
    private static JdbcTemplate store;

    @BeforeAll
    static void start() {
        context = StandaloneTestProperties.start(StandaloneTestProperties.fresh(100), StandaloneApplication.class,
                LabelRenamedToName.class);
        api = new Api(StandaloneTestProperties.port(context));
        store = context.getBean(JdbcTemplate.class);
    }

    @AfterAll
    static void stop() {
        if (context != null) {
            context.close();
        }
    }

    @Test
    void aCreationStoredAtRevisionZeroReadsWithItsNameEverywhere() throws IOException {
        String user = "user-" + UUID.randomUUID();
        String owner = Tokens.forUser(user);
        String template = api.create(owner, "{\"name\": \"template\"}").get("id").asText();
        UUID old = UUID.randomUUID();
        storeAtRevisionZero(template, old, "from revision 0");

        JsonNode listed = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> keyOf(api.get(KEYS, owner).json(), old), key -> key != null);
        assertThat(listed.get("name").asText()).isEqualTo("from revision 0");
        assertThat(api.get(KEYS + "/" + old + "/history", owner).json().get(0).get("name").asText())
                .isEqualTo("from revision 0");
        assertThat(keyOf(api.get(KEYS + "?as_of=" + Instant.now(), owner).json(), old).get("name").asText())
                .isEqualTo("from revision 0");
        try (AuditTopic topic = new AuditTopic(context.getEnvironment()
                .getRequiredProperty("apikeys.audit.bootstrap-servers"))) {
            assertThat(topic.awaitRecordsOfKey(old.toString(), 1, Duration.ofSeconds(30)).get(0).value()
                    .get("name").asText()).isEqualTo("from revision 0");
        }

        store.update("update read_model.api_key set name = 'tampered' where id = ?", old);
        assertThat(api.post("/actuator/projections/apikey-read-model/replay", ADMIN, "").status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(
                () -> keyOf(api.get(KEYS, owner).json(), old).get("name").asText(), "from revision 0"::equals);
    }

    /**
     * Appends, as key {@code id}, a copy of the creation of key {@code template} as revision 0 wrote
     * it: the name under {@code label}, and a hash of its own (the read model's hashes are unique).
     */
    private static void storeAtRevisionZero(String template, UUID id, String label) throws IOException {
        Map<String, Object> row = store.queryForMap("select * from event_store.domain_event_entry"
                + " where aggregate_identifier = ? and sequence_number = 0", template);
        ObjectNode payload = (ObjectNode) JSON.readTree((byte[]) row.get("payload"));
        payload.remove("name");
        payload.put("label", label);
        payload.put("keyId", id.toString());
        payload.put("keyHash", "0".repeat(32) + UUID.randomUUID().toString().replace("-", ""));
        store.update("""
                insert into event_store.domain_event_entry (event_identifier, aggregate_identifier, sequence_number,
                       type, time_stamp, payload_type, payload_revision, payload, meta_data)
                values (?, ?, 0, ?, ?, ?, '0', ?, ?)""", UUID.randomUUID().toString(), id.toString(), row.get("type"),
                row.get("time_stamp"), ApiKeyCreated.class.getName(), JSON.writeValueAsBytes(payload),
                row.get("meta_data"));
    }

    private static JsonNode keyOf(JsonNode keys, UUID id) {
        for (JsonNode key : keys) {
            if (key.get("id").asText().equals(id.toString())) {
                return key;
            }
        }
        return null;
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class LabelRenamedToName {

        @Bean
        EventUpcaster labelRenamedToName() {
            return new SingleEventUpcaster() {
                @Override
                protected boolean canUpcast(IntermediateEventRepresentation representation) {
                    return representation.getType().equals(new SimpleSerializedType(ApiKeyCreated.class.getName(), "0"));
                }

                @Override
                protected IntermediateEventRepresentation doUpcast(IntermediateEventRepresentation representation) {
                    return representation.upcastPayload(new SimpleSerializedType(ApiKeyCreated.class.getName(), "1"),
                            JsonNode.class, payload -> {
                                ObjectNode renamed = ((ObjectNode) payload).deepCopy();
                                renamed.set("name", renamed.remove("label"));
                                return renamed;
                            });
                }
            };
        }
    }
}

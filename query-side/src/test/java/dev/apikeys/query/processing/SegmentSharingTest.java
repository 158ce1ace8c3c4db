package dev.apikeys.query.processing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apikeys.events.ApiKeyCreated;
import dev.apikeys.query.EventsElsewhere;
import dev.apikeys.query.QuerySideApplication;
import dev.apikeys.query.SharedPostgres;
import dev.apikeys.query.TestTokens;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpHeaders;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.client.RestClient;

/**
 * Two query-side instances on one database (two contexts, each with a node id of its own): they
 * split each processor's segments between them, as {@code /actuator/projections} shows, both apply
 * events, and when one goes the other takes its segments over.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "apikeys.security.hmac-secret=" + TestTokens.SECRET,
        "apikeys.audit.bootstrap-servers=127.0.0.1:9",
})
class SegmentSharingTest {

    private static final String READ_MODEL = "apikey-read-model";

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        SharedPostgres.register(registry);
    }

    @LocalServerPort
    int port;

    @Autowired
    ProcessingNode node;

    @Autowired
    Environment environment;

    @Autowired
    EventStorageEngine storageEngine;

    @Autowired
    TransactionTemplate transaction;

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void twoInstancesShareTheSegmentsAndTheSurvivorTakesThemAllOver() throws Exception {
        String here = node.id();
        String there;
        try (ConfigurableApplicationContext other = new SpringApplicationBuilder(QuerySideApplication.class).run(
                "--spring.datasource.url=" + environment.getProperty("spring.datasource.url"),
                "--spring.datasource.username=postgres", "--spring.datasource.password=",
                "--apikeys.security.hmac-secret=" + TestTokens.SECRET,
                "--apikeys.audit.bootstrap-servers=127.0.0.1:9", "--server.port=0")) {
            there = other.getBean(ProcessingNode.class).id();
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(owners(READ_MODEL))
                    .as("two segments each").containsOnly(Map.entry(here, 2L), Map.entry(there, 2L)));

            String user = "shared-" + UUID.randomUUID();
            List<String> created = appendKeysOf(user, 40);
            assertThat(listed(user)).as("applied by both instances' segments").containsExactlyInAnyOrderElementsOf(
                    created);
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(owners(READ_MODEL))
                .as("the survivor holds all").containsOnly(Map.entry(here, 4L)));
        String user = "after-" + UUID.randomUUID();
        List<String> created = appendKeysOf(user, 20);
        assertThat(listed(user)).containsExactlyInAnyOrderElementsOf(created);
    }

    /** Who claims how many of the processor's segments, from /actuator/projections. */
    private Map<String, Long> owners(String processor) throws Exception {
        String body = RestClient.create("http://localhost:" + port).get().uri("/actuator/projections")
                .header(HttpHeaders.AUTHORIZATION, TestTokens.bearer("operator", "apikeys:admin"))
                .retrieve().body(String.class);
        for (JsonNode status : json.readTree(body)) {
            if (status.get("name").asText().equals(processor)) {
                List<String> owners = new ArrayList<>();
                status.get("segments").forEach(segment -> owners.add(segment.get("owner").asText()));
                return owners.stream().collect(Collectors.groupingBy(owner -> owner, Collectors.counting()));
            }
        }
        throw new AssertionError("no " + processor + " in " + body);
    }

    private List<String> appendKeysOf(String user, int count) {
        List<String> ids = new ArrayList<>();
        List<DomainEventMessage<?>> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            UUID key = UUID.randomUUID();
            ids.add(key.toString());
            events.add(EventsElsewhere.ofKey(key, 0, new ApiKeyCreated(key, user, null, "ci", "sk_abcde",
                    "hash-of-" + key, List.of(), null, Instant.now(), null), user));
        }
        EventsElsewhere.append(transaction, storageEngine, events.toArray(DomainEventMessage[]::new));
        return ids;
    }

    private List<String> listed(String user) throws Exception {
        String body = RestClient.create("http://localhost:" + port).get().uri("/api/v1/me/apikeys")
                .header(HttpHeaders.AUTHORIZATION, TestTokens.bearer(user)).retrieve().body(String.class);
        List<String> ids = new ArrayList<>();
        json.readTree(body).forEach(key -> ids.add(key.get("id").asText()));
        return ids;
    }
}

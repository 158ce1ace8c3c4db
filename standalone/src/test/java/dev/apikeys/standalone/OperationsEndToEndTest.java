package dev.apikeys.standalone;

import static dev.apikeys.standalone.Api.KEYS;
import static dev.apikeys.standalone.JsonNodes.fieldNames;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.core.env.Environment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Operations over HTTP into the standalone process: projections, replay, metrics, OpenAPI.
 * Spring Boot's tests leave metrics export off unless asked, so the Prometheus endpoint would be
 * missing.
 */
@AutoConfigureObservability(tracing = false)
@OwnStandaloneProcess
class OperationsEndToEndTest {

    private static final Map<String, String> PROPERTIES = StandaloneTestProperties.fresh(100);
    private static final String ADMIN = Tokens.forService("operator", "apikeys:admin");

    @DynamicPropertySource
    static void standalone(DynamicPropertyRegistry registry) {
        StandaloneTestProperties.register(registry, PROPERTIES);
    }

    @Value("${local.server.port}")
    int port;

    @Autowired
    Environment environment;

    private Api api() {
        return new Api(port);
    }

    // --- projections and replay ----------------------------------------------------------------

    @Test
    void projectionsShowEveryProcessorCaughtUpWithTheStore() {
        String user = Tokens.forUser("user-" + UUID.randomUUID());
        api().create(user, "{}");
        api().get(KEYS, user);

        JsonNode readModel = await().atMost(Duration.ofSeconds(30))
                .until(() -> projection("apikey-read-model"), status -> status.get("lag_events").asLong() == 0);

        assertThat(names(projections())).contains("apikey-read-model", "apikey-audit-publisher");
        assertThat(fieldNames(readModel)).containsExactlyInAnyOrder(
                "name", "status", "position", "head", "lag_events", "replaying", "segments");
        assertThat(readModel.get("status").asText()).isEqualTo("running");
        assertThat(readModel.get("replaying").asBoolean()).isFalse();
        assertThat(readModel.get("head").asLong()).isNotNegative();
        assertThat(readModel.get("position").asLong()).isEqualTo(readModel.get("head").asLong());
    }

    @Test
    void operationsNeedTheAdminScope() {
        String user = Tokens.forUser("user-" + UUID.randomUUID());

        assertThat(api().get("/actuator/projections", null).status()).isEqualTo(401);
        assertThat(api().get("/actuator/projections", user).status()).isEqualTo(403);
        assertThat(api().post("/actuator/projections/apikey-audit-publisher/replay", user, "").status()).isEqualTo(403);
        assertThat(api().get("/actuator/prometheus", user).status()).isEqualTo(403);
    }

    @Test
    void replayingAnUnknownProcessorIsA404Problem() {
        Api.Response response = api().post("/actuator/projections/apikey-nothing/replay", ADMIN, "");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.json().get("status").asInt()).isEqualTo(404);
    }

    /**
     * A replay of the audit publisher sends every record again, with its ce_id and its value
     * unchanged, in the original order per key.
     */
    @Test
    void replayOfTheAuditPublisherResendsTheWholeHistoryInOrderPerKey() {
        String user = Tokens.forUser("user-" + UUID.randomUUID());
        String first = api().create(user, "{\"name\": \"first\"}").get("id").asText();
        String second = api().create(user, "{\"name\": \"second\"}").get("id").asText();
        api().put(KEYS + "/" + first, user);
        api().put(KEYS + "/" + first, user);
        api().put(KEYS + "/" + second, user);
        api().delete(KEYS + "/" + first, user);
        Map<String, Integer> recordsPerKey = Map.of(first, 4, second, 2);

        try (AuditTopic topic = new AuditTopic(bootstrapServers())) {
            Map<String, List<AuditTopic.AuditRecord>> original = recordsPerKey.entrySet().stream().collect(Collectors.toMap(
                    Map.Entry::getKey, key -> topic.awaitRecordsOfKey(key.getKey(), key.getValue(), Duration.ofSeconds(30))));
            original.forEach((key, records) -> assertThat(records).as(key).hasSize(recordsPerKey.get(key)));

            Api.Response replay = api().post("/actuator/projections/apikey-audit-publisher/replay", ADMIN, "");

            assertThat(replay.status()).isEqualTo(202);
            assertThat(replay.json().get("name").asText()).isEqualTo("apikey-audit-publisher");
            List<AuditTopic.AuditRecord> all = topic.awaitRecords(records -> original.values().stream()
                    .flatMap(List::stream)
                    .allMatch(record -> occurrences(records, record.header("ce_id")).size() >= 2), Duration.ofSeconds(60));
            original.forEach((key, records) -> {
                // The second copy of each record, in the order they arrived.
                List<AuditTopic.AuditRecord> resent = records.stream()
                        .map(record -> occurrences(all, record.header("ce_id")).get(1))
                        .sorted(Comparator.comparingInt(all::indexOf))
                        .toList();
                assertThat(resent).extracting(record -> record.header("ce_id")).as(key)
                        .containsExactlyElementsOf(records.stream().map(record -> record.header("ce_id")).toList());
                assertThat(resent).extracting(AuditTopic.AuditRecord::value).as(key)
                        .containsExactlyElementsOf(records.stream().map(AuditTopic.AuditRecord::value).toList());
                assertThat(resent).extracting(AuditTopic.AuditRecord::headers).as(key)
                        .containsExactlyElementsOf(records.stream().map(AuditTopic.AuditRecord::headers).toList());
            });
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> !projection("apikey-audit-publisher").get("replaying").asBoolean());
    }

    // --- metrics ---------------------------------------------------------------------------------

    @Test
    void prometheusShowsHttpJvmAxonAndProjectionLagMetrics() {
        String user = Tokens.forUser("user-" + UUID.randomUUID());
        api().create(user, "{}");
        api().get(KEYS, user);

        Api.Response response = api().get("/actuator/prometheus", ADMIN);

        assertThat(response.status()).isEqualTo(200);
        List<String> samples = response.body().lines().filter(line -> !line.startsWith("#")).toList();
        assertThat(samples).anyMatch(line -> line.startsWith("apikeys_projection_lag_events{")
                && line.contains("processor=\"apikey-read-model\""));
        assertThat(samples).anyMatch(line -> line.startsWith("apikeys_projection_lag_events{")
                && line.contains("processor=\"apikey-audit-publisher\""));
        assertThat(samples).anyMatch(line -> line.startsWith("http_server_requests_seconds_count{")
                && line.contains("uri=\"/api/v1/me/apikeys\""));
        assertThat(samples).anyMatch(line -> line.startsWith("jvm_memory_used_bytes{"));
        assertThat(samples).anyMatch(line -> line.startsWith("eventProcessor_")
                && line.contains("processorName=\"apikey-read-model\""));
    }

    // --- OpenAPI ---------------------------------------------------------------------------------

    /** Every endpoint of the API that the service has: one line each. */
    private static final List<String> ENDPOINTS = List.of(
            "get /api/v1/me/apikeys",
            "post /api/v1/me/apikeys",
            "put /api/v1/me/apikeys/{id}",
            "delete /api/v1/me/apikeys/{id}",
            "post /api/v1/me/apikeys/{id}/rotate",
            "get /api/v1/me/apikeys/{id}/history",
            "get /api/v1/me/apikeys/analytics",
            "post /api/v1/apikeys/verify");

    @Test
    void theOpenApiDocumentIsOpenAndListsEveryEndpoint() {
        Api.Response response = api().get("/v3/api-docs", null);

        assertThat(response.status()).isEqualTo(200);
        JsonNode paths = response.json().get("paths");
        for (String endpoint : ENDPOINTS) {
            String[] methodAndPath = endpoint.split(" ");
            assertThat(paths.path(methodAndPath[1]).has(methodAndPath[0])).as(endpoint).isTrue();
        }
        assertThat(paths.at("/~1api~1v1~1me~1apikeys/get/parameters").findValuesAsText("name")).contains("as_of");
        assertThat(paths.at("/~1api~1v1~1me~1apikeys~1analytics/get/parameters").findValuesAsText("name"))
                .contains("from", "to");
    }

    @Test
    void theOpenApiDocumentNamesEveryFieldAsTheJsonHasIt() {
        JsonNode document = api().get("/v3/api-docs", null).json();
        JsonNode paths = document.get("paths");

        assertThat(properties(document, paths.at("/~1api~1v1~1me~1apikeys/get/responses/200/content"))).containsExactlyInAnyOrder(
                "id", "created_at", "updated_at", "user_id", "organization_id", "name", "key_prefix", "scopes",
                "last_used_at", "expires_at", "disabled", "metadata", "allowed_cidrs", "rate_limit", "credits");
        assertThat(properties(document, paths.at("/~1api~1v1~1me~1apikeys~1{id}/put/responses/200/content")))
                .containsExactlyInAnyOrderElementsOf(properties(document, paths.at("/~1api~1v1~1me~1apikeys/get/responses/200/content")));
        assertThat(properties(document, paths.at("/~1api~1v1~1me~1apikeys~1{id}/patch/responses/200/content")))
                .containsExactlyInAnyOrderElementsOf(properties(document, paths.at("/~1api~1v1~1me~1apikeys/get/responses/200/content")));
        assertThat(properties(document, paths.at("/~1api~1v1~1me~1apikeys~1{id}/patch/requestBody/content")))
                .containsExactlyInAnyOrder("name", "scopes", "metadata", "allowed_cidrs", "rate_limit", "credits");
        assertThat(properties(document, paths.at("/~1api~1v1~1me~1apikeys/post/requestBody/content"))).containsExactlyInAnyOrder(
                "name", "scopes", "organization_id", "expires_in_days", "metadata", "allowed_cidrs", "rate_limit", "credits");
        List<String> createResponse = List.of("id", "name", "key_prefix", "key", "scopes", "expires_at");
        assertThat(properties(document, paths.at("/~1api~1v1~1me~1apikeys/post/responses/201/content")))
                .containsExactlyInAnyOrderElementsOf(createResponse);
        assertThat(properties(document, paths.at("/~1api~1v1~1me~1apikeys~1{id}~1rotate/post/requestBody/content")))
                .containsExactly("grace_period_seconds");
        assertThat(properties(document, paths.at("/~1api~1v1~1me~1apikeys~1{id}~1rotate/post/responses/201/content")))
                .containsExactlyInAnyOrderElementsOf(createResponse);
        assertThat(properties(document, paths.at("/~1api~1v1~1apikeys~1verify/post/requestBody/content")))
                .containsExactlyInAnyOrder("key", "required_scopes", "client_ip", "cost");
        JsonNode verifyResponse = paths.at("/~1api~1v1~1apikeys~1verify/post/responses/200/content");
        assertThat(properties(document, verifyResponse)).containsExactlyInAnyOrder(
                "valid", "code", "key_id", "user_id", "organization_id", "scopes", "expires_at", "metadata", "ratelimit",
                "credits_remaining");
        assertThat(paths.at("/~1api~1v1~1me~1apikeys~1{id}~1history/get/parameters"))
                .extracting(parameter -> parameter.get("name").asText()).containsExactlyInAnyOrder("id", "limit", "after");
        document.at("/components/schemas").fields().forEachRemaining(schema ->
                assertThat(schema.getValue().isEmpty()).as("schema %s describes nothing", schema.getKey()).isFalse());
        assertThat(schema(document, verifyResponse).at("/properties/code/enum")).extracting(JsonNode::asText)
                .containsExactlyInAnyOrder("VALID", "MALFORMED", "NOT_FOUND", "DISABLED", "EXPIRED", "IP_NOT_ALLOWED",
                        "INSUFFICIENT_SCOPES", "RATE_LIMITED", "USAGE_EXCEEDED");
    }

    @Test
    void theOpenApiDocumentDeclaresTheBearerSchemeAndProblemAnswers() {
        JsonNode document = api().get("/v3/api-docs", null).json();

        JsonNode scheme = document.at("/components/securitySchemes/bearer");
        assertThat(scheme.get("type").asText()).isEqualTo("http");
        assertThat(scheme.get("scheme").asText()).isEqualTo("bearer");
        assertThat(document.at("/security/0").has("bearer")).isTrue();
        JsonNode notFound = document.at("/paths/~1api~1v1~1me~1apikeys~1{id}/delete/responses/404/content");
        assertThat(notFound.has("application/problem+json")).isTrue();
        assertThat(properties(document, notFound)).contains("type", "title", "status", "detail", "errors",
                "errors_not_listed");
        assertThat(document.at("/paths/~1api~1v1~1me~1apikeys/get/responses").has("401")).isTrue();
        assertThat(fieldNames(document.at("/paths/~1api~1v1~1me~1apikeys/get/responses/200/content")))
                .containsExactly("application/json");
    }

    @Test
    void swaggerUiIsOpen() {
        Api.Response page = api().get("/swagger-ui.html", null);

        assertThat(page.status()).isIn(200, 302);
        Api.Response ui = api().get("/swagger-ui/index.html", null);
        assertThat(ui.status()).isEqualTo(200);
        assertThat(ui.body()).contains("swagger-ui");
    }

    // --- helpers ---------------------------------------------------------------------------------

    private JsonNode projections() {
        Api.Response response = api().get("/actuator/projections", ADMIN);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    private JsonNode projection(String name) {
        for (JsonNode processor : projections()) {
            if (processor.get("name").asText().equals(name)) {
                return processor;
            }
        }
        throw new AssertionError("no processor " + name);
    }

    private static List<String> names(JsonNode processors) {
        List<String> names = new ArrayList<>();
        processors.forEach(processor -> names.add(processor.get("name").asText()));
        return names;
    }

    private static List<AuditTopic.AuditRecord> occurrences(List<AuditTopic.AuditRecord> records, String ceId) {
        return records.stream().filter(record -> ceId.equals(record.header("ce_id"))).toList();
    }

    /** The schema of a body's only JSON media type, following $ref and, for an array, its items. */
    private static JsonNode schema(JsonNode document, JsonNode content) {
        assertThat(content.isMissingNode()).as("no content").isFalse();
        JsonNode schema = content.elements().next().get("schema");
        while (true) {
            if (schema.has("$ref")) {
                schema = document.at(schema.get("$ref").asText().substring(1));
            } else if ("array".equals(schema.path("type").asText())) {
                schema = schema.get("items");
            } else {
                return schema;
            }
        }
    }

    private static List<String> properties(JsonNode document, JsonNode content) {
        return fieldNames(schema(document, content).get("properties"));
    }

    private String bootstrapServers() {
        return environment.getRequiredProperty("apikeys.audit.bootstrap-servers");
    }
}

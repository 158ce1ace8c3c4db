package dev.apikeys.standalone;

import static dev.apikeys.standalone.Api.KEYS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * 10,000 generated bad requests ({@link BadRequests}) over real HTTP into the standalone service,
 * with valid and invalid tokens: none is answered with a server error, every error is a problem
 * document that shows no stack trace, class or SQL, the keys of the users who were there before
 * are exactly as they were, every processor keeps up with what the requests stored, and the keys
 * they created are stored as answered. The seed is logged; {@code -Dapikeys.fuzz.seed=...}
 * repeats a run.
 */
@OwnStandaloneProcess
class BadRequestFuzzTest {

    private static final Map<String, String> PROPERTIES = StandaloneTestProperties.fresh(100);
    private static final int REQUESTS = 10_000;
    private static final int CONNECTIONS = 4;
    private static final long SEED = Long.getLong("apikeys.fuzz.seed", 20_261_201L);
    /** What an error body must never show: stack frames, class and package names, SQL. */
    private static final List<String> GIVEAWAYS = List.of("Exception", "at dev.", "org.", "java.", "SELECT",
            "springframework", "hibernate", "postgres", "\tat ");
    private static final List<String> RESIDENTS = List.of("resident-1", "resident-2");
    private static final String ADMIN = Tokens.forService("operator", "apikeys:admin");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger log = LoggerFactory.getLogger(BadRequestFuzzTest.class);

    @DynamicPropertySource
    static void standalone(DynamicPropertyRegistry registry) {
        StandaloneTestProperties.register(registry, PROPERTIES);
    }

    @Value("${local.server.port}")
    int port;

    @Autowired
    JdbcTemplate store;

    @Test
    void badRequestsGetProblemsNeverServerErrorsAndChangeNoOnesKeys() throws Exception {
        Api api = new Api(port);
        List<String> residentKeys = new ArrayList<>();
        String verifiable = null;
        for (String resident : RESIDENTS) {
            String token = Tokens.forUser(resident, "org-r");
            JsonNode kept = api.create(token, "{\"name\": \"kept\", \"scopes\": [\"models:read\"], \"organization_id\": \"org-r\"}");
            verifiable = kept.get("key").asText();
            String disabled = api.create(token, "{\"name\": \"disabled\", \"expires_in_days\": 30}").get("id").asText();
            String deleted = api.create(token, "{\"name\": \"deleted\"}").get("id").asText();
            assertThat(api.put(KEYS + "/" + disabled, token).status()).isEqualTo(200);
            assertThat(api.delete(KEYS + "/" + deleted, token).status()).isEqualTo(204);
            residentKeys.addAll(List.of(kept.get("id").asText(), disabled, deleted));
        }
        Map<String, JsonNode> listingsBefore = listings(api);
        long eventsBefore = eventsOf(residentKeys);

        Queue<String> violations = new ConcurrentLinkedQueue<>();
        Map<String, JsonNode> issued = new ConcurrentHashMap<>();
        Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
        log.info("Sending {} bad requests on {} connections, seed {}", REQUESTS, CONNECTIONS, SEED);
        long start = System.nanoTime();
        ExecutorService senders = Executors.newFixedThreadPool(CONNECTIONS);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int connection = 0; connection < CONNECTIONS; connection++) {
                BadRequests requests = new BadRequests(new Random(SEED + connection), port, "fuzz-owner-" + connection,
                        residentKeys);
                running.add(senders.submit(() -> send(requests, REQUESTS / CONNECTIONS, violations, statuses, issued)));
            }
            for (Future<?> sender : running) {
                sender.get();
            }
        } finally {
            senders.shutdownNow();
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        log.info("{} bad requests answered in {} ms ({} requests/s); statuses: {}", REQUESTS, took.toMillis(),
                REQUESTS * 1000L / Math.max(1, took.toMillis()), new TreeMap<>(statuses));

        assertThat(violations.size()).as("requests answered wrongly (seed %s), the first of them:%n%s", SEED,
                String.join("\n\n", violations.stream().limit(20).toList())).isZero();
        assertThat(listings(api)).isEqualTo(listingsBefore);
        // What a create or rotation answered is what was kept: odd text was refused, never altered.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> api.processorsCaughtUp(ADMIN));
        for (Map.Entry<String, JsonNode> answer : issued.entrySet()) {
            JsonNode stored = stored(answer.getKey());
            assertThat(stored.get("name")).as(answer.getKey()).isEqualTo(answer.getValue().get("name"));
            assertThat(stored.get("scopes")).as(answer.getKey()).isEqualTo(answer.getValue().get("scopes"));
        }
        assertThat(eventsOf(residentKeys)).isEqualTo(eventsBefore);
        assertThat(api.verifyCode(Tokens.verifier(), verifiable, "models:read")).isEqualTo("VALID");
    }

    private void send(BadRequests requests, int count, Queue<String> violations, Map<Integer, LongAdder> statuses,
            Map<String, JsonNode> issued) {
        try (RawHttpConnection connection = new RawHttpConnection(port, Duration.ofSeconds(30))) {
            for (int i = 0; i < count; i++) {
                BadRequests.BadRequest request = requests.next();
                try {
                    RawHttpConnection.Response response = connection.exchange(request.wire(), request.isHead());
                    statuses.computeIfAbsent(response == null ? 0 : response.status(), s -> new LongAdder()).increment();
                    String violation = violation(request, response);
                    if (violation != null) {
                        violations.add(violation + "\nfor\n" + request.description());
                    } else if (response.status() == 201) {
                        JsonNode key = JSON.readTree(response.body());
                        issued.put(key.get("id").asText(), key);
                        requests.created(key.get("id").asText());
                    }
                } catch (IOException e) {
                    connection.close();
                    violations.add("no answer (" + e + ") to\n" + request.description());
                }
            }
        }
    }

    /** What is wrong with the answer, or null when nothing is. */
    private static String violation(BadRequests.BadRequest request, RawHttpConnection.Response response) {
        if (response == null) {
            return "the connection was closed without an answer";
        }
        if (response.status() >= 500) {
            return "server error " + response.status() + ": " + response.text();
        }
        if (request.refused() && response.status() < 400) {
            return "answered " + response.status() + " to a request it must refuse: " + response.text();
        }
        if (response.status() < 400 || request.isHead()) {
            return null;
        }
        String contentType = response.header("content-type");
        if (contentType == null || !contentType.startsWith("application/problem+json")) {
            return response.status() + " with Content-Type " + contentType + ": " + response.text();
        }
        JsonNode problem;
        try {
            problem = JSON.readTree(response.body());
        } catch (IOException e) {
            return response.status() + " with a body that is not JSON: " + response.text();
        }
        if (!problem.isObject() || problem.path("status").asInt() != response.status() || !problem.hasNonNull("title")
                || !problem.hasNonNull("type")) {
            return response.status() + " with a body that is no problem for it: " + response.text();
        }
        // The instance is the path the client sent, which may hold anything.
        String shown = ((ObjectNode) problem).without("instance").toString();
        for (String giveaway : GIVEAWAYS) {
            if (shown.contains(giveaway)) {
                return response.status() + " showing \"" + giveaway + "\": " + response.text();
            }
        }
        return null;
    }

    private static Map<String, JsonNode> listings(Api api) {
        Map<String, JsonNode> listings = new TreeMap<>();
        for (String resident : RESIDENTS) {
            Api.Response listing = api.get(KEYS, Tokens.forUser(resident));
            assertThat(listing.status()).as(listing.body()).isEqualTo(200);
            listings.put(resident, listing.json());
        }
        return listings;
    }

    /** A key's name and scopes as the read model keeps them. */
    private JsonNode stored(String keyId) throws IOException {
        return JSON.readTree(store.queryForObject("select json_build_object('name', name, 'scopes', scopes)::text"
                + " from read_model.api_key where id = ?::uuid", String.class, keyId));
    }

    /** The residents' events: their keys' own and their usage streams'. */
    private long eventsOf(List<String> keyIds) {
        long events = 0;
        for (String keyId : keyIds) {
            events += store.queryForObject("select count(*) from event_store.domain_event_entry"
                    + " where aggregate_identifier in (?, ?)", Long.class, keyId, keyId + "/usage");
        }
        return events;
    }

}

package dev.apikeys.standalone;

import static dev.apikeys.standalone.Api.KEYS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.apikeys.command.CommandSideApplication;
import dev.apikeys.query.QuerySideApplication;
import dev.apikeys.standalone.embedded.LocalPorts;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The split deployment in one JVM: command side and query side as two separate Spring contexts that
 * share nothing but one PostgreSQL, so no in-process notification can help the query side along.
 */
class SplitDeploymentTest {

    private static EmbeddedPostgres postgres;
    private static ConfigurableApplicationContext commandSide;
    private static ConfigurableApplicationContext querySide;
    private static Api writes;
    private static Api reads;

    @BeforeAll
    static void startBothSides() throws IOException {
        postgres = EmbeddedPostgres.builder().setPort(LocalPorts.free()).start();
        String url = postgres.getJdbcUrl("postgres", "postgres");
        // Nothing listens on this port: reads and writes must not need Kafka.
        String kafka = "127.0.0.1:" + StandaloneTestProperties.freePort();
        commandSide = start(CommandSideApplication.class, Map.of(
                "spring.datasource.url", url,
                "spring.jpa.properties.hibernate.default_schema", "event_store",
                "apikeys.audit.bootstrap-servers", kafka));
        // The command side writes in a process of its own, which standalone's application.yml (first
        // on this module's classpath) would deny.
        querySide = start(QuerySideApplication.class, Map.of(
                "spring.datasource.url", url,
                "spring.jpa.properties.hibernate.default_schema", "read_model",
                "apikeys.audit.bootstrap-servers", kafka,
                "apikeys.verify.writes-in-this-process-only", "false"));
        writes = new Api(StandaloneTestProperties.port(commandSide));
        reads = new Api(StandaloneTestProperties.port(querySide));
    }

    private static ConfigurableApplicationContext start(Class<?> application, Map<String, String> properties) {
        Map<String, String> all = new java.util.HashMap<>(properties);
        all.put("server.port", "0");
        all.put("spring.datasource.username", "postgres");
        all.put("apikeys.security.hmac-secret", Tokens.SECRET);
        return StandaloneTestProperties.start(application, all);
    }

    @AfterAll
    static void stop() throws IOException {
        if (querySide != null) {
            querySide.close();
        }
        if (commandSide != null) {
            commandSide.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void theQuerySideShowsEveryWriteOfTheCommandSideInTheNextRead() {
        String token = Tokens.forUser("split-user");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String id = writes.create(token, "{\"name\": \"split-" + i + "\"}").get("id").asText();
            ids.add(0, id);
            JsonNode listed = reads.get(KEYS, token).json();
            assertThat(listed).extracting(k -> k.get("id").asText()).containsExactlyElementsOf(ids);
        }
        for (int i = 0; i < 10; i++) {
            String id = ids.get(i);
            boolean disabled = writes.put(KEYS + "/" + id, token).json().get("disabled").asBoolean();
            JsonNode listed = reads.get(KEYS, token).json();
            assertThat(listed).filteredOn(k -> k.get("id").asText().equals(id))
                    .singleElement().satisfies(k -> assertThat(k.get("disabled").asBoolean()).isEqualTo(disabled));
        }
        for (int i = 0; i < 10; i++) {
            String id = ids.remove(0);
            assertThat(writes.delete(KEYS + "/" + id, token).status()).isEqualTo(204);
            assertThat(reads.get(KEYS, token).json()).extracting(k -> k.get("id").asText()).containsExactlyElementsOf(ids);
        }
    }

    @Test
    void verificationOnTheQuerySideHonoursEveryWriteOfTheCommandSideAtOnce() {
        RevocationRounds.run(writes, reads, Tokens.forUser("split-verify"), 50, "split deployment");
    }

    @Test
    void eachSideAnswersOnlyItsOwnMethods() {
        String token = Tokens.forUser("split-methods");

        assertThat(reads.post(KEYS, token, "{}").status()).isEqualTo(405);
        assertThat(writes.get(KEYS, token).status()).isEqualTo(405);
    }
}

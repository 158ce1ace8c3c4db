package dev.apikeys.standalone.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

class EmbeddedInfrastructureStarterTest {

    @TempDir
    Path dataDirectory;

    @Test
    void startsWhatIsNotConfiguredStopsItWithTheContextAndKeepsItsDataForTheNext() throws Exception {
        String secret;
        try (ConfigurableApplicationContext first = run(Map.of())) {
            Environment environment = first.getEnvironment();
            execute(environment, "CREATE TABLE kept (name text)");
            execute(environment, "INSERT INTO kept VALUES ('from the first context')");
            EmbeddedPostgresServer postgres = first.getBean(EmbeddedPostgresServer.class);
            EmbeddedKafkaBroker broker = first.getBean(EmbeddedKafkaBroker.class);
            assertThat(broker.isRunning()).isTrue();
            assertThat(environment.getProperty("apikeys.audit.bootstrap-servers")).isEqualTo(broker.bootstrapServers());
            secret = environment.getProperty("apikeys.security.hmac-secret");
            assertThat(secret).isEqualTo(Files.readString(dataDirectory.resolve("hmac-secret")).strip());
            assertThat(environment.getProperty("apikeys.standalone.hmac-secret-file"))
                    .isEqualTo(dataDirectory.resolve("hmac-secret").toString());
            assertThat(environment.getProperty("apikeys.verify.writes-in-this-process-only")).isEqualTo("true");

            first.close();

            assertThat(broker.isRunning()).isFalse();
            assertThat(postgres.isRunning()).isFalse();
        }

        try (ConfigurableApplicationContext second = run(Map.of())) {
            assertThat(singleValue(second.getEnvironment(), "SELECT name FROM kept")).isEqualTo("from the first context");
            assertThat(second.getEnvironment().getProperty("apikeys.security.hmac-secret")).isEqualTo(secret);
            assertThat(second.getBean(EmbeddedKafkaBroker.class).isRunning()).isTrue();
        }
    }

    @Test
    void contextsOnOneDataDirectoryShareTheServersUntilTheLastCloses() throws SQLException {
        Map<String, String> noKafka = Map.of("apikeys.audit.bootstrap-servers", "127.0.0.1:1");
        try (ConfigurableApplicationContext first = run(noKafka); ConfigurableApplicationContext second = run(noKafka)) {
            EmbeddedPostgresServer postgres = first.getBean(EmbeddedPostgresServer.class);
            assertThat(second.getBean(EmbeddedPostgresServer.class)).isSameAs(postgres);

            first.close();

            assertThat(postgres.isRunning()).isTrue();
            assertThat(singleValue(second.getEnvironment(), "SELECT 'still answering'")).isEqualTo("still answering");
            second.close();
            assertThat(postgres.isRunning()).isFalse();
        }
    }

    @Test
    void aBrokerThatCannotStartFailsTheStartAndLeavesNothingRunning() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Map<String, String> takenPort = Map.of("apikeys.standalone.kafka-port", Integer.toString(taken.getLocalPort()));

            // The broker starts while the context builds its beans; the context waits for it before starting any.
            assertThatThrownBy(() -> run(takenPort)).hasStackTraceContaining(Integer.toString(taken.getLocalPort()));
        }

        assertThat(dataDirectory.resolve("postgres").resolve("postmaster.pid")).doesNotExist();
        try (ConfigurableApplicationContext next = run(Map.of())) {
            assertThat(next.getBean(EmbeddedKafkaBroker.class).isRunning()).isTrue();
        }
    }

    @Test
    void leavesConfiguredServersAndSecretAlone() {
        try (ConfigurableApplicationContext context = run(Map.of(
                "spring.datasource.url", "jdbc:postgresql://db.example:5432/apikeys",
                "apikeys.audit.bootstrap-servers", "kafka.example:9092",
                "apikeys.security.hmac-secret", "a-secret-the-operator-chose-of-32-bytes"))) {
            Environment environment = context.getEnvironment();

            assertThat(environment.getProperty("spring.datasource.url")).isEqualTo("jdbc:postgresql://db.example:5432/apikeys");
            assertThat(environment.getProperty("apikeys.audit.bootstrap-servers")).isEqualTo("kafka.example:9092");
            assertThat(environment.getProperty("apikeys.security.hmac-secret")).isEqualTo("a-secret-the-operator-chose-of-32-bytes");
            assertThat(environment.containsProperty("apikeys.standalone.hmac-secret-file")).isFalse();
            assertThat(environment.containsProperty("apikeys.verify.writes-in-this-process-only")).isFalse();
            assertThat(context.getBeansOfType(EmbeddedPostgresServer.class)).isEmpty();
            assertThat(context.getBeansOfType(EmbeddedKafkaBroker.class)).isEmpty();
            assertThat(dataDirectory).isEmptyDirectory();
        }
    }

    private ConfigurableApplicationContext run(Map<String, String> properties) {
        Map<String, String> all = new HashMap<>(properties);
        all.put("apikeys.standalone.data-dir", dataDirectory.toString());
        all.putIfAbsent("apikeys.standalone.kafka-port", "0");
        all.put("spring.main.banner-mode", "off");
        // As command-line arguments, so that they outrank application.yml as a caller's would.
        String[] arguments = all.entrySet().stream().map(entry -> "--" + entry.getKey() + "=" + entry.getValue())
                .toArray(String[]::new);
        return new SpringApplicationBuilder(NothingElse.class).web(WebApplicationType.NONE).run(arguments);
    }

    private static void execute(Environment environment, String sql) throws SQLException {
        try (Connection connection = connect(environment); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static String singleValue(Environment environment, String query) throws SQLException {
        try (Connection connection = connect(environment);
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(query)) {
            assertThat(result.next()).isTrue();
            return result.getString(1);
        }
    }

    private static Connection connect(Environment environment) throws SQLException {
        return DriverManager.getConnection(environment.getProperty("spring.datasource.url"),
                environment.getProperty("spring.datasource.username"), environment.getProperty("spring.datasource.password"));
    }

    @Configuration(proxyBeanMethods = false)
    static class NothingElse {
    }
}

package dev.apikeys.standalone.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedPostgresServerTest {

    @TempDir
    Path dataDirectory;

    private EmbeddedPostgresServer server;
    private ChildJvm childJvm;
    private ProcessHandle orphanedPostmaster;

    @AfterEach
    void stopEverything() {
        if (server != null) {
            server.stop();
        }
        if (childJvm != null) {
            childJvm.close();
        }
        if (orphanedPostmaster != null && orphanedPostmaster.isAlive()) {
            orphanedPostmaster.destroyForcibly();
        }
    }

    @Test
    void startsWithAnApikeysDatabaseAndKeepsItsRowsAcrossStopAndStart() throws SQLException {
        server = new EmbeddedPostgresServer(dataDirectory.resolve("postgres"), dataDirectory.resolve("postgres.log"));
        server.start();
        execute("CREATE TABLE kept (name text)");
        execute("INSERT INTO kept VALUES ('written before the restart')");
        String firstUrl = server.jdbcUrl();
        server.stop();
        assertThat(canConnect(firstUrl)).isFalse();

        server.start();

        assertThat(server.jdbcUrl()).endsWith("/apikeys");
        assertThat(singleValue("SELECT name FROM kept")).isEqualTo("written before the restart");
    }

    @Test
    void everyConnectionNeedsThePasswordOnlyItsOwnerCanRead() throws Exception {
        server = new EmbeddedPostgresServer(dataDirectory.resolve("postgres"), dataDirectory.resolve("postgres.log"));
        server.start();

        assertThatThrownBy(() -> DriverManager.getConnection(server.jdbcUrl(), EmbeddedPostgresServer.USERNAME, ""))
                .isInstanceOf(SQLException.class);
        assertThatThrownBy(() -> DriverManager.getConnection(server.jdbcUrl(), EmbeddedPostgresServer.USERNAME,
                "not-the-password")).isInstanceOf(SQLException.class);
        assertThat(singleValue("SELECT 'with the password'")).isEqualTo("with the password");
        Path passwordFile = dataDirectory.resolve("postgres-password");
        assertThat(Files.readString(passwordFile).strip()).isEqualTo(server.password());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile))).isEqualTo("rw-------");
        assertThat(Files.readAllLines(dataDirectory.resolve("postgres").resolve("pg_hba.conf")))
                .filteredOn(line -> !line.isBlank() && !line.startsWith("#"))
                .isNotEmpty().allSatisfy(rule -> assertThat(rule).endsWith(" scram-sha-256"));

        server.stop();
        server.start();
        assertThatThrownBy(() -> DriverManager.getConnection(server.jdbcUrl(), EmbeddedPostgresServer.USERNAME, ""))
                .as("still after a restart").isInstanceOf(SQLException.class);
        assertThat(singleValue("SELECT 'with the password'")).isEqualTo("with the password");
    }

    @Test
    void writesCommitsToDiskBeforeAnsweringThem() throws SQLException {
        server = new EmbeddedPostgresServer(dataDirectory.resolve("postgres"), dataDirectory.resolve("postgres.log"));
        server.start();

        assertThat(singleValue("SHOW fsync")).isEqualTo("on");
        assertThat(singleValue("SHOW synchronous_commit")).isEqualTo("on");
    }

    @Test
    void recoversTheDataOfAServerWhoseJvmWasKilled() throws Exception {
        Path postgresDirectory = dataDirectory.resolve("postgres");
        Path serverLog = dataDirectory.resolve("postgres.log");
        Path ready = dataDirectory.resolve("ready");
        childJvm = ChildJvm.start(PostgresInChildJvm.class, dataDirectory.resolve("child-jvm.log"),
                postgresDirectory.toString(), serverLog.toString(), ready.toString());
        await().atMost(Duration.ofSeconds(120)).until(() -> Files.exists(ready) || !childJvm.isAlive());
        assertThat(ready).as("child JVM wrote its row; its output is in child-jvm.log").exists();
        orphanedPostmaster = Postmaster.of(postgresDirectory).orElseThrow();
        long postmasterPid = orphanedPostmaster.pid();

        childJvm.kill();
        assertThat(orphanedPostmaster.isAlive()).as("the postmaster outlives its JVM").isTrue();

        server = new EmbeddedPostgresServer(postgresDirectory, serverLog);
        server.start();

        assertThat(singleValue("SELECT name FROM survivor")).isEqualTo("written before kill -9");
        assertThat(orphanedPostmaster.isAlive()).as("the orphan was stopped").isFalse();
        assertThat(Files.readAllLines(postgresDirectory.resolve("postmaster.pid")).get(0).trim())
                .isNotEqualTo(Long.toString(postmasterPid));
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = connect(server.jdbcUrl()); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private String singleValue(String query) throws SQLException {
        try (Connection connection = connect(server.jdbcUrl());
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(query)) {
            assertThat(result.next()).isTrue();
            return result.getString(1);
        }
    }

    private boolean canConnect(String url) {
        try (Connection ignored = connect(url)) {
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    private Connection connect(String url) throws SQLException {
        return DriverManager.getConnection(url, EmbeddedPostgresServer.USERNAME, server.password());
    }
}

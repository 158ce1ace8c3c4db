package dev.apikeys.standalone.embedded;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.concurrent.CountDownLatch;

/**
 * Runs an embedded PostgreSQL in a JVM of its own, writes one row, signals readiness through a
 * file and then waits to be killed. Arguments: data directory, server log, ready file.
 */
final class PostgresInChildJvm {

    private PostgresInChildJvm() {
    }

    public static void main(String[] args) throws Exception {
        EmbeddedPostgresServer server = new EmbeddedPostgresServer(Path.of(args[0]), Path.of(args[1]));
        server.start();
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl(), EmbeddedPostgresServer.USERNAME,
                server.password());
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE survivor (name text)");
            statement.execute("INSERT INTO survivor VALUES ('written before kill -9')");
        }
        Files.createFile(Path.of(args[2]));
        new CountDownLatch(1).await();
    }
}

package dev.apikeys.query;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * One real PostgreSQL for the test JVM, with the command side's event store tables already there
 * (as the command side's migration would leave them).
 */
public final class SharedPostgres {

    private static EmbeddedPostgres postgres;

    private SharedPostgres() {
    }

    public static synchronized void register(DynamicPropertyRegistry registry) {
        if (postgres == null) {
            postgres = start();
        }
        registry.add("spring.datasource.url", () -> postgres.getJdbcUrl("postgres", "postgres"));
        registry.add("spring.datasource.username", () -> "postgres");
        registry.add("spring.datasource.password", () -> "");
    }

    private static EmbeddedPostgres start() {
        try {
            // Its own shutdown hook stops the server when the test JVM exits.
            EmbeddedPostgres started = EmbeddedPostgres.builder().start();
            try (Connection connection = started.getPostgresDatabase().getConnection();
                    Statement statement = connection.createStatement();
                    InputStream ddl = SharedPostgres.class.getResourceAsStream("/command-side-event-store.sql")) {
                statement.execute(new String(ddl.readAllBytes(), StandardCharsets.UTF_8));
            }
            return started;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}

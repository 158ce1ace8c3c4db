package dev.apikeys.query;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * One real PostgreSQL for the test JVM, with the command side's event store already there: its
 * own migrations, read from the command side's sources (the query side cannot depend on the
 * command side), so the tables these tests read are the ones the command side makes.
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

    /** The command side's own event store migrations, run from the repository's root or a module's directory. */
    public static void migrateEventStore(DataSource dataSource) {
        Path migrations = Path.of("command-side", "src", "main", "resources", "db", "event_store");
        Flyway.configure()
                .dataSource(dataSource)
                .schemas("event_store")
                .locations("filesystem:" + (Files.isDirectory(migrations) ? migrations : Path.of("..").resolve(migrations)))
                .load()
                .migrate();
    }

    private static EmbeddedPostgres start() {
        try {
            // Its own shutdown hook stops the server when the test JVM exits.
            EmbeddedPostgres started = EmbeddedPostgres.builder().start();
            migrateEventStore(started.getPostgresDatabase());
            return started;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package dev.apikeys.query;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import org.flywaydb.core.Flyway;

/** A PostgreSQL of its own with schema read_model migrated as the query side migrates it. */
public final class ReadModelDatabase {

    private ReadModelDatabase() {
    }

    public static EmbeddedPostgres start() throws IOException {
        EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
        Flyway.configure().dataSource(postgres.getPostgresDatabase()).schemas("read_model")
                .locations("classpath:db/read_model").load().migrate();
        return postgres;
    }
}

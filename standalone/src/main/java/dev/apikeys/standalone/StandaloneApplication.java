package dev.apikeys.standalone;

import dev.apikeys.command.CommandSideApplication;
import dev.apikeys.query.QuerySideApplication;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Import;

/**
 * Both sides in one process. Unless real ones are configured, it runs on an embedded PostgreSQL
 * and an embedded Kafka broker with their data in {@code apikeys.standalone.data-dir} (see
 * {@code dev.apikeys.standalone.embedded}).
 */
@SpringBootApplication
@Import({CommandSideApplication.class, QuerySideApplication.class})
public class StandaloneApplication {

    public static void main(String[] args) {
        // Set before Axon starts: nothing phones home.
        System.setProperty("axoniq.update-checker.disabled", "true");
        SpringApplication.run(StandaloneApplication.class, args);
    }
}

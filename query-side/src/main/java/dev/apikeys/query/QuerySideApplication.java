package dev.apikeys.query;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Serves GET from the read model and publishes every key event to the audit topic. */
@SpringBootApplication(scanBasePackages = {"dev.apikeys.query", "dev.apikeys.runtime"})
public class QuerySideApplication {

    public static void main(String[] args) {
        System.setProperty("axoniq.update-checker.disabled", "true");
        SpringApplication.run(QuerySideApplication.class, args);
    }
}

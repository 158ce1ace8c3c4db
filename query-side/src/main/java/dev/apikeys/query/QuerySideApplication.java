package dev.apikeys.query;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Serves GET from the read model and publishes every key event to the audit topic. */
@SpringBootApplication(scanBasePackages = {"dev.apikeys.query", "dev.apikeys.runtime"})
@ConfigurationPropertiesScan
@EnableScheduling
public class QuerySideApplication {

    public static void main(String[] args) {
        System.setProperty("axoniq.update-checker.disabled", "true");
        SpringApplication.run(QuerySideApplication.class, args);
    }
}

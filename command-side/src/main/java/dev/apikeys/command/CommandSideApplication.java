package dev.apikeys.command;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The write side: takes POST, PUT and DELETE, decides in the ApiKey aggregate, appends events. */
@SpringBootApplication(scanBasePackages = {"dev.apikeys.command", "dev.apikeys.runtime"})
@ConfigurationPropertiesScan
public class CommandSideApplication {

    public static void main(String[] args) {
        // Set before Axon starts: nothing phones home.
        System.setProperty("axoniq.update-checker.disabled", "true");
        SpringApplication.run(CommandSideApplication.class, args);
    }
}

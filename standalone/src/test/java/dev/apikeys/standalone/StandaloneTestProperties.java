package dev.apikeys.standalone;

import dev.apikeys.standalone.embedded.LocalPorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;

/** Settings for a standalone process of its own: a fresh data dir, a free broker port, a known secret. */
final class StandaloneTestProperties {

    private StandaloneTestProperties() {
    }

    static Map<String, String> fresh(int maxKeysPerUser) {
        return forDataDir(newDataDir(), freePort(), maxKeysPerUser);
    }

    static Map<String, String> forDataDir(Path dataDir, int kafkaPort, int maxKeysPerUser) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("apikeys.standalone.data-dir", dataDir.toString());
        properties.put("apikeys.standalone.kafka-port", Integer.toString(kafkaPort));
        properties.put("apikeys.security.hmac-secret", Tokens.SECRET);
        properties.put("apikeys.max-keys-per-user", Integer.toString(maxKeysPerUser));
        properties.put("server.port", "0");
        return properties;
    }

    /** Gives a test's context these settings, from its {@code @DynamicPropertySource} method. */
    static void register(DynamicPropertyRegistry registry, Map<String, String> properties) {
        properties.forEach((name, value) -> registry.add(name, () -> value));
    }

    /**
     * Starts an application with these settings as arguments: builder properties are only
     * defaults, which application.yml would override.
     */
    static ConfigurableApplicationContext start(Class<?> application, Map<String, String> properties) {
        return new SpringApplicationBuilder(application).run(asArguments(properties));
    }

    /** As {@link #start(Class, Map)}, with further configuration classes beside the application. */
    static ConfigurableApplicationContext start(Map<String, String> properties, Class<?>... sources) {
        return new SpringApplicationBuilder(sources).run(asArguments(properties));
    }

    static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    static String[] asArguments(Map<String, String> properties) {
        return properties.entrySet().stream().map(p -> "--" + p.getKey() + "=" + p.getValue()).toArray(String[]::new);
    }

    static Path newDataDir() {
        try {
            return Files.createTempDirectory("apikeys-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int freePort() {
        return LocalPorts.free();
    }
}

package dev.apikeys.standalone.embedded;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.core.env.Environment;

/**
 * The standalone service's own settings ({@code apikeys.standalone.*}).
 *
 * @param dataDir where the embedded PostgreSQL and Kafka keep their data, and the service its secret
 * @param kafkaPort the embedded broker's port on 127.0.0.1; 0 picks a free one
 * @param hmacSecretFile set by the service itself, only when the secret is the one it keeps
 */
@ConfigurationProperties(StandaloneProperties.PREFIX)
public record StandaloneProperties(@DefaultValue("./data") Path dataDir, @DefaultValue("9092") int kafkaPort,
        Path hmacSecretFile) {

    static final String PREFIX = "apikeys.standalone";

    /** Bound from the environment itself, for what runs before the context has any bean. */
    public static StandaloneProperties of(Environment environment) {
        return Binder.get(environment).bindOrCreate(PREFIX, StandaloneProperties.class);
    }
}

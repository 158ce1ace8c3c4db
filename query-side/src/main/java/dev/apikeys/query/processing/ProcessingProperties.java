package dev.apikeys.query.processing;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the query side runs its processors and waits for them.
 *
 * @param nodeId the owner name this instance claims processor segments under; blank: the JVM's
 *        {@code pid@host} and a random part
 */
@ConfigurationProperties("apikeys")
public record ProcessingProperties(
        @DefaultValue("") String nodeId,
        @DefaultValue Cluster cluster,
        @DefaultValue ReadYourWrites readYourWrites,
        @DefaultValue Statistics statistics) {

    /**
     * Query-side instances share each processor's segments evenly. Each says it is alive every
     * {@code heartbeatInterval}; one silent for longer than {@code instanceExpiry} counts as gone.
     */
    public record Cluster(@DefaultValue("1s") Duration heartbeatInterval, @DefaultValue("5s") Duration instanceExpiry) {
    }

    /** @param timeout the longest a read waits for a processor; steady state it is milliseconds */
    public record ReadYourWrites(@DefaultValue("5s") Duration timeout) {
    }

    /** @param checkInterval how often the read model's tables are checked for stale planner statistics */
    public record Statistics(@DefaultValue("2s") Duration checkInterval) {
    }
}

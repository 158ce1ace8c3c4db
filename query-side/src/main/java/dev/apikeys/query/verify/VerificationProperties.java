package dev.apikeys.query.verify;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** How keys are verified and their use recorded. */
@ConfigurationProperties("apikeys")
record VerificationProperties(@DefaultValue Verify verify, @DefaultValue Usage usage) {

    /**
     * @param timeout how long a verification may wait for the keys in memory to reflect a write that
     *        answered before it; past that it answers 503 rather than risk a stale VALID
     * @param writesInThisProcessOnly every write to the store is made by this process (standalone),
     *        so a verification needs no read of the store's head to reflect them
     */
    record Verify(@DefaultValue("2s") Duration timeout, @DefaultValue("false") boolean writesInThisProcessOnly) {
    }

    /** @param flushInterval at most one usage fact per key per interval; last_used_at shows within it */
    record Usage(@DefaultValue("5s") Duration flushInterval) {
    }
}

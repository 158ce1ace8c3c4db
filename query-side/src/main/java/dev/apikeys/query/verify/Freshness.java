package dev.apikeys.query.verify;

import dev.apikeys.query.processing.CatchUp;
import dev.apikeys.query.processing.Positions;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * Whether the keys in memory reflect every write that answered before a verification began. Where
 * other processes write, the verification waits for the feed to reach a head of the store read
 * after it began (one read shared by the verifications meanwhile). Where every write is this
 * process's, each reached the keys before it answered: once the feed caught up after the start, a
 * verification reads nothing.
 */
@Component
class Freshness {

    private final CatchUp catchUp;
    private final Positions keys;
    private final boolean writesInThisProcessOnly;
    private volatile boolean caughtUpSinceStart;

    /** @param keys how far the keys in memory got ({@link VerifiableKeysFeed}) */
    Freshness(CatchUp catchUp, Positions keys, VerificationProperties properties) {
        this.catchUp = catchUp;
        this.keys = keys;
        this.writesInThisProcessOnly = properties.verify().writesInThisProcessOnly();
    }

    /**
     * @return false when that could not be shown within the timeout
     * @throws RuntimeException how reading the store's head failed
     */
    boolean await(Duration timeout) throws InterruptedException {
        if (writesInThisProcessOnly && caughtUpSinceStart) {
            return true;
        }
        boolean fresh = catchUp.await(keys, timeout);
        caughtUpSinceStart |= fresh;
        return fresh;
    }
}

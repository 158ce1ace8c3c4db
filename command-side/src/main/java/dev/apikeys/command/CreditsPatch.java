package dev.apikeys.command;

import dev.apikeys.events.Credits;
import dev.apikeys.events.Refill;
import java.time.Instant;

/**
 * Credits as a request gives them: {@code remaining} null when absent, and the refill only when
 * {@code refillGiven} (null then removes it), so a PATCH may change one and keep the other.
 */
public record CreditsPatch(Long remaining, boolean refillGiven, Refill refill) {

    /**
     * @param current the key's credits, null for unlimited
     * @return a new grant at {@code now} when {@code remaining} is given; else the current grant
     *         with the refill changed
     * @throws IncompleteSetting when no remaining is given for a key without credits
     */
    public Credits over(Credits current, Instant now) {
        Refill mergedRefill = refillGiven || current == null ? refill : current.refill();
        if (remaining != null) {
            return Credits.granted(remaining, mergedRefill, now);
        }
        if (current == null) {
            throw new IncompleteSetting("credits.remaining");
        }
        return new Credits(current.remaining(), mergedRefill, current.grantedAt(), current.granted());
    }
}

package dev.apikeys.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * A key's credits: what is left of its current grant. A grant is what the owner gave at create or
 * by a PATCH, or a refill; {@code grantedAt} tells grants apart, and consumption of one that a
 * later grant replaced counts against nothing.
 *
 * @param remaining what is left, as recorded so far
 * @param refill null when the credits are never refilled
 * @param grantedAt when the current grant began: its event's time, or the refill's
 * @param granted how many credits the current grant gave
 */
public record Credits(long remaining, Refill refill, @JsonProperty("granted_at") Instant grantedAt, long granted) {

    /** A grant of {@code amount} beginning at {@code at}. */
    public static Credits granted(long amount, Refill refill, Instant at) {
        return new Credits(amount, refill, at, amount);
    }

    /** The credits as they stand at the instant: a refill since the current grant began is a grant of its own. */
    public Credits at(Instant instant) {
        if (refill == null) {
            return this;
        }
        Instant refilled = refill.lastAtOrBefore(instant);
        return refilled.isAfter(grantedAt) ? granted(refill.amount(), refill, refilled) : this;
    }
}

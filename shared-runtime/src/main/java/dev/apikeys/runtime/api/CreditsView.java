package dev.apikeys.runtime.api;

import dev.apikeys.events.Credits;
import dev.apikeys.events.Refill;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

/** A key's credits as the API shows them. */
@Schema(name = "Credits", description = "What is left of the key's credits, and how they are refilled")
public record CreditsView(
        @Schema(description = "As verified so far, at most apikeys.usage.flush-interval behind", minimum = "0")
        long remaining,
        @Schema(nullable = true, description = "Sets remaining to amount at each 00:00 UTC (daily) or 00:00 UTC on"
                + " the 1st (monthly); null: never")
        Refill refill) {

    /** The credits as they stand at the instant; null for none. */
    public static CreditsView of(Credits credits, Instant at) {
        if (credits == null) {
            return null;
        }
        Credits now = credits.at(at);
        return new CreditsView(now.remaining(), now.refill());
    }
}

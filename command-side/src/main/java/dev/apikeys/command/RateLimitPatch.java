package dev.apikeys.command;

import dev.apikeys.events.RateLimit;

/**
 * A rate limit as a request gives it: each member null when absent, so a PATCH may change one and
 * keep the other (a merge patch of the object).
 */
public record RateLimitPatch(Integer limit, Integer durationSeconds) {

    /**
     * @param current the key's rate limit, null for none
     * @return the rate limit once this is merged into it
     * @throws IncompleteSetting when a member is neither given nor the key's already
     */
    public RateLimit over(RateLimit current) {
        Integer mergedLimit = limit != null ? limit : current == null ? null : current.limit();
        Integer mergedDuration = durationSeconds != null ? durationSeconds
                : current == null ? null : current.durationSeconds();
        if (mergedLimit == null || mergedDuration == null) {
            throw new IncompleteSetting(mergedLimit == null ? "rate_limit.limit" : "rate_limit.duration_seconds");
        }
        return new RateLimit(mergedLimit, mergedDuration);
    }
}

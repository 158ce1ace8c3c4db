package dev.apikeys.events;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * At most {@code limit} VALID verifications of a key in each window of {@code durationSeconds},
 * windows aligned to whole multiples of it since the Unix epoch. Written as the API writes it
 * ({@code duration_seconds}) wherever it is JSON: in the store, in answers and on the audit stream.
 */
public record RateLimit(int limit, @JsonProperty("duration_seconds") int durationSeconds) {

    /** The start of the window holding the instant, in seconds since the epoch. */
    public long windowAt(long epochSecond) {
        return Math.floorDiv(epochSecond, durationSeconds) * (long) durationSeconds;
    }
}

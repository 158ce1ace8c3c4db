package dev.apikeys.runtime.api;

import io.swagger.v3.oas.annotations.media.Schema;

/** How the OpenAPI document describes a rate limit; the value itself is the events' RateLimit. */
@Schema(name = "RateLimit", description = "At most limit VALID verifications in each window of duration_seconds,"
        + " windows aligned to whole multiples of it since the Unix epoch")
public record RateLimitSchema(
        @Schema(minimum = "1", maximum = "1000000") int limit,
        @Schema(minimum = "1", maximum = "86400") int durationSeconds) {
}

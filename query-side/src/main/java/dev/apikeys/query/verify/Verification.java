package dev.apikeys.query.verify;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import dev.apikeys.events.KeyState;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The answer to a verification. The key's fields are there only when the key
 * was found: then null ones (no organization, no expiry) are written as null, not left out.
 */
sealed interface Verification {

    enum Code {
        VALID, MALFORMED, NOT_FOUND, DISABLED, EXPIRED, IP_NOT_ALLOWED, INSUFFICIENT_SCOPES, RATE_LIMITED,
        USAGE_EXCEEDED
    }

    boolean valid();

    Code code();

    static Verification notFound(Code code) {
        return new KeyNotFound(false, code);
    }

    /**
     * @param rate how the key's rate-limit window stands; null when the key has no rate limit
     * @param credits what the key's credits have left; null when they are unlimited
     */
    static Verification of(Code code, KeyState key, RateLimiter.Decision rate, CreditMeter.Decision credits) {
        return new OfKey(code == Code.VALID, code, key.keyId(), key.userId(), key.organizationId(), key.scopes(),
                key.expiresAt(), key.settings().metadata(),
                rate == null ? null : new Window(rate.limit(), rate.remaining(), rate.resetAt()),
                credits == null ? null : credits.remaining());
    }

    /** MALFORMED or NOT_FOUND: nothing about any key. */
    record KeyNotFound(boolean valid, Code code) implements Verification {
    }

    @Schema(name = "VerifyResponse", description = "key_id to metadata are present only when the key was found "
            + "(not for MALFORMED or NOT_FOUND)")
    record OfKey(boolean valid, Code code, UUID keyId, String userId, String organizationId, List<String> scopes,
            Instant expiresAt, @JsonRawValue @Schema(type = "object", nullable = true) String metadata,
            @JsonInclude(JsonInclude.Include.NON_NULL)
            @Schema(description = "Only for a key with a rate limit") Window ratelimit,
            @JsonInclude(JsonInclude.Include.NON_NULL)
            @Schema(description = "Only for a key with credits") Long creditsRemaining)
            implements Verification {
    }

    /** A key's rate-limit window: how many VALID answers it has left, and when it ends. */
    @Schema(name = "RateLimitWindow")
    record Window(int limit, long remaining, Instant resetAt) {
    }
}

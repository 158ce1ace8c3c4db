package dev.apikeys.query.verify;

import static dev.apikeys.query.verify.Verification.Code.DISABLED;
import static dev.apikeys.query.verify.Verification.Code.EXPIRED;
import static dev.apikeys.query.verify.Verification.Code.INSUFFICIENT_SCOPES;
import static dev.apikeys.query.verify.Verification.Code.IP_NOT_ALLOWED;
import static dev.apikeys.query.verify.Verification.Code.MALFORMED;
import static dev.apikeys.query.verify.Verification.Code.NOT_FOUND;
import static dev.apikeys.query.verify.Verification.Code.RATE_LIMITED;
import static dev.apikeys.query.verify.Verification.Code.USAGE_EXCEEDED;
import static dev.apikeys.query.verify.Verification.Code.VALID;

import dev.apikeys.events.Credits;
import dev.apikeys.events.KeyState;
import dev.apikeys.events.RateLimit;
import dev.apikeys.runtime.key.ApiKeyFormat;
import dev.apikeys.runtime.problem.ProblemException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Decides a verification from memory: the shape and checksum first (no lookup for what is not a
 * key), then the key found by its hash, its state, its expiry, the caller's network, its scopes,
 * its rate limit and its credits. A valid key's use is
 * noted for the usage recorder and nothing more.
 */
@Component
class Verifier {

    private static final Logger log = LoggerFactory.getLogger(Verifier.class);

    private final VerifiableKeys keys;
    private final Freshness freshness;
    private final UsageRecorder usage;
    private final RateLimiter rateLimits;
    private final CreditMeter creditMeter;
    private final Clock clock;
    private final Duration timeout;

    Verifier(VerifiableKeys keys, Freshness freshness, UsageRecorder usage, RateLimiter rateLimits,
            CreditMeter creditMeter, Clock clock, VerificationProperties properties) {
        this.keys = keys;
        this.freshness = freshness;
        this.usage = usage;
        this.rateLimits = rateLimits;
        this.creditMeter = creditMeter;
        this.clock = clock;
        this.timeout = properties.verify().timeout();
    }

    Verification verify(String presented, List<String> requiredScopes, InetAddress clientIp, int cost,
            String verifiedBy) {
        if (!ApiKeyFormat.isWellFormed(presented)) {
            return Verification.notFound(MALFORMED);
        }
        awaitRecentWrites();
        String hash = ApiKeyFormat.sha256Hex(presented);
        KeyState key = keys.find(hash);
        // The map found it by hash; the comparison of the secret's digest itself is constant-time.
        if (key == null || key.deleted() || !MessageDigest.isEqual(ascii(key.keyHash()), ascii(hash))) {
            return Verification.notFound(NOT_FOUND);
        }
        Instant now = clock.instant();
        Verification.Code refusal = refusal(key, now, requiredScopes, clientIp);
        RateLimit rateLimit = key.settings().rateLimit();
        Credits credits = key.settings().credits();
        RateLimiter.Decision rate = null;
        if (rateLimit != null) {
            rate = refusal == null ? rateLimits.admit(key.keyId(), rateLimit, now) : rateLimits.peek(key.keyId(),
                    rateLimit, now);
            refusal = refusal == null && !rate.admitted() ? RATE_LIMITED : refusal;
        }
        CreditMeter.Decision credit = null;
        if (credits != null) {
            credit = refusal == null ? creditMeter.take(key.keyId(), credits, cost, now) : creditMeter.peek(
                    key.keyId(), credits, now);
            if (refusal == null && !credit.admitted()) {
                // Only a VALID answer counts against the rate limit.
                rate = rate == null ? null : rateLimits.undo(key.keyId(), rateLimit, now);
                refusal = USAGE_EXCEEDED;
            }
        }
        if (refusal != null) {
            return Verification.of(refusal, key, rate, credit);
        }
        usage.used(key, now, verifiedBy, credit == null ? null : credit.grant(), credit == null ? 0 : cost);
        return Verification.of(VALID, key, rate, credit);
    }

    /** The first check before the rate limit that fails, in the order the answer's codes name them; null for none. */
    private static Verification.Code refusal(KeyState key, Instant now, List<String> requiredScopes,
            InetAddress clientIp) {
        if (key.disabled()) {
            return DISABLED;
        }
        if (key.isExpiredAt(now)) {
            return EXPIRED;
        }
        if (!Networks.admit(key.settings().allowedCidrs(), clientIp)) {
            return IP_NOT_ALLOWED;
        }
        if (!Scopes.grant(key.scopes(), requiredScopes)) {
            return INSUFFICIENT_SCOPES;
        }
        return null;
    }

    private void awaitRecentWrites() {
        boolean fresh;
        try {
            fresh = freshness.await(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fresh = false;
        } catch (RuntimeException e) {
            log.warn("Verification could not read the event store's head: {}", e.toString());
            fresh = false;
        }
        if (!fresh) {
            // Rather than a possibly stale VALID: the store is out of reach, or the keys still load.
            throw ProblemException.unavailable("/problems/verification-unavailable",
                    "Verification cannot confirm it has seen the latest changes to keys; try again shortly.");
        }
    }

    private static byte[] ascii(String hex) {
        return hex.getBytes(StandardCharsets.US_ASCII);
    }
}

package dev.apikeys.runtime.security;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;

/**
 * Remembers the tokens it decoded and validated until they expire, so a service that verifies
 * thousands of keys a second with one token pays for the signature check and the claim validation
 * once. A token is a string its issuer signed: the same string carries the same claims, so one that
 * was valid stays valid until its {@code exp}, which is honoured exactly (the validator's clock skew
 * is not extended). A refused or expired token is never kept, and the memory is bounded by the
 * tokens' count and length (a token's claims take about as much again).
 */
final class CachingJwtDecoder implements JwtDecoder {

    static final int MAX_TOKENS = 10_000;
    static final int MAX_CHARS = 4 * 1024 * 1024;

    private final JwtDecoder decoder;
    private final Clock clock;
    private final Map<String, Jwt> decoded = new ConcurrentHashMap<>();
    private long chars;

    CachingJwtDecoder(JwtDecoder decoder, Clock clock) {
        this.decoder = decoder;
        this.clock = clock;
    }

    @Override
    public Jwt decode(String token) {
        Jwt known = decoded.get(token);
        if (known != null) {
            if (clock.instant().isBefore(known.getExpiresAt())) {
                return known;
            }
            forget(token);
        }
        Jwt jwt = decoder.decode(token);
        if (jwt.getExpiresAt() != null && clock.instant().isBefore(jwt.getExpiresAt())) {
            remember(token, jwt);
        }
        return jwt;
    }

    private synchronized void remember(String token, Jwt jwt) {
        if (decoded.size() >= MAX_TOKENS || chars + token.length() > MAX_CHARS) {
            // Many callers at once: start over rather than keep track of which to forget.
            decoded.clear();
            chars = 0;
        }
        if (decoded.put(token, jwt) == null) {
            chars += token.length();
        }
    }

    private synchronized void forget(String token) {
        if (decoded.remove(token) != null) {
            chars -= token.length();
        }
    }
}

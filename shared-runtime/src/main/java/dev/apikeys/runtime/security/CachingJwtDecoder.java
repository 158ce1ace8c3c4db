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
 * is not extended). A refused token is never remembered, and the memory is bounded.
 */
final class CachingJwtDecoder implements JwtDecoder {

    static final int MAX_TOKENS = 10_000;

    private final JwtDecoder decoder;
    private final Clock clock;
    private final Map<String, Jwt> decoded = new ConcurrentHashMap<>();

    CachingJwtDecoder(JwtDecoder decoder, Clock clock) {
        this.decoder = decoder;
        this.clock = clock;
    }

    @Override
    public Jwt decode(String token) {
        Jwt known = decoded.get(token);
        if (known != null && clock.instant().isBefore(known.getExpiresAt())) {
            return known;
        }
        Jwt jwt = decoder.decode(token);
        if (jwt.getExpiresAt() != null && clock.instant().isBefore(jwt.getExpiresAt())) {
            if (decoded.size() >= MAX_TOKENS) {
                // Many callers at once: start over rather than keep track of which to forget.
                decoded.clear();
            }
            decoded.put(token, jwt);
        } else {
            decoded.remove(token);
        }
        return jwt;
    }
}

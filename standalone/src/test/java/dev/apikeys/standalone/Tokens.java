package dev.apikeys.standalone;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

/** Mints the HS256 bearer tokens the tests call with, as an identity provider would. */
final class Tokens {

    static final String SECRET = "end-to-end-test-secret-of-at-least-32-bytes";
    static final String VERIFY_SCOPE = "apikeys:verify";

    private Tokens() {
    }

    static String forUser(String userId, String... orgIds) {
        return sign(SECRET, claims(userId, List.of(orgIds), Instant.now().plus(Duration.ofHours(1))).build());
    }

    /** A token of another service of the platform: {@code scope} is the space-separated claim. */
    static String forService(String serviceId, String scope) {
        return sign(SECRET, claims(serviceId, List.of(), Instant.now().plus(Duration.ofHours(1)))
                .claim("scope", scope)
                .build());
    }

    /** A service that may verify keys, holding other scopes too as real tokens do. */
    static String verifier() {
        return forService("gateway", "openid " + VERIFY_SCOPE);
    }

    static String expiredFor(String userId) {
        return sign(SECRET, claims(userId, List.of(), Instant.now().minus(Duration.ofMinutes(5))).build());
    }

    static String signedWithAnotherSecret(String userId) {
        return sign("some-other-secret-that-is-also-32-bytes-long",
                claims(userId, List.of(), Instant.now().plus(Duration.ofHours(1))).build());
    }

    /**
     * A token signed with the service's secret whose claims are exactly these, of whatever JSON
     * type: what an identity provider with odd ideas might issue.
     */
    static String withClaims(Map<String, Object> claims) {
        JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder();
        claims.forEach(builder::claim);
        return sign(SECRET, builder.build());
    }

    /**
     * A token signed with the service's secret whose claims are this JSON text, escapes and all: a
     * claims builder would write an escaped lone surrogate as the character, which UTF-8 cannot carry.
     */
    static String withClaimsJson(String claims) {
        try {
            JWSObject jws = new JWSObject(new JWSHeader(JWSAlgorithm.HS256), new Payload(claims));
            jws.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
            return jws.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JWTClaimsSet.Builder claims(String userId, List<String> orgIds, Instant expiresAt) {
        return new JWTClaimsSet.Builder()
                .subject(userId)
                .claim("org_ids", orgIds)
                .issueTime(new Date())
                .expirationTime(Date.from(expiresAt));
    }

    private static String sign(String secret, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
            jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}

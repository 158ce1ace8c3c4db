package dev.apikeys.runtime;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/** Bearer tokens for the web tests, signed (or not) the ways a client might. */
public final class TestTokens {

    public static final String SECRET = "runtime-test-secret-of-at-least-32-bytes";

    private TestTokens() {
    }

    public static JWTClaimsSet.Builder claims(String subject) {
        return new JWTClaimsSet.Builder()
                .subject(subject)
                .expirationTime(Date.from(Instant.now().plus(Duration.ofMinutes(5))));
    }

    public static String valid(String subject, List<String> orgIds, String scope) {
        JWTClaimsSet.Builder claims = claims(subject).claim("org_ids", orgIds);
        if (scope != null) {
            claims.claim("scope", scope);
        }
        return sign(claims.build(), SECRET);
    }

    public static String sign(JWTClaimsSet claims, String secret) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
            jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Signs claims given as JSON text, escapes and all, as no claims builder would write them. */
    public static String signJson(String claimsJson, String secret) {
        try {
            JWSObject jws = new JWSObject(new JWSHeader(JWSAlgorithm.HS256), new Payload(claimsJson));
            jws.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
            return jws.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String unsigned(JWTClaimsSet claims) {
        return new PlainJWT(claims).serialize();
    }
}

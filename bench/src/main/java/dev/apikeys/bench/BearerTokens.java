package dev.apikeys.bench;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/** Mints the HS256 tokens the harness calls with, as an identity provider would, with the service's secret. */
final class BearerTokens {

    static final String VERIFY_SCOPE = "apikeys:verify";
    static final String ADMIN_SCOPE = "apikeys:admin";
    /** Outlives any run, so no token expires in the middle of a measurement. */
    private static final Duration LIFETIME = Duration.ofHours(2);

    private final MACSigner signer;

    BearerTokens(String hmacSecret) {
        try {
            signer = new MACSigner(hmacSecret.getBytes(StandardCharsets.UTF_8));
        } catch (JOSEException e) {
            throw new IllegalArgumentException("Unusable HMAC secret", e);
        }
    }

    String forUser(String userId) {
        return sign(claims(userId).build());
    }

    /** A token of another service of the platform; {@code scope} is the space-separated claim. */
    String forService(String serviceId, String scope) {
        return sign(claims(serviceId).claim("scope", scope).build());
    }

    private static JWTClaimsSet.Builder claims(String subject) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .subject(subject)
                .claim("org_ids", List.of())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(LIFETIME)));
    }

    private String sign(JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
            jwt.sign(signer);
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("Could not sign a token", e);
        }
    }
}

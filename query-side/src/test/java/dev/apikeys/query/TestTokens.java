package dev.apikeys.query;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/** HS256 bearer tokens signed with the secret the tests configure. */
public final class TestTokens {

    public static final String SECRET = "query-side-tests-hmac-secret-of-at-least-32-bytes";

    private TestTokens() {
    }

    public static String bearer(String userId) {
        return bearer(userId, null);
    }

    /** @param scope the space-separated service rights, or null for none */
    public static String bearer(String userId, String scope) {
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject(userId)
                .claim("org_ids", List.of())
                .claim("scope", scope)
                .expirationTime(Date.from(Instant.now().plusSeconds(300)))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        try {
            jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return "Bearer " + jwt.serialize();
    }
}

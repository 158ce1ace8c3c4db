package dev.apikeys.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class DemoCurlBannerTest {

    private static final String SECRET = "a-standalone-secret-of-at-least-32-bytes-long";

    @Test
    void printsACurlWithASevenDayTokenForDemoSignedWithTheSecret() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);

        String text = DemoCurlBanner.text(SECRET, "/data/hmac-secret", 18080, now);

        Matcher curl = Pattern.compile("curl -H \"Authorization: Bearer ([^\"]+)\" (\\S+)").matcher(text);
        assertThat(curl.find()).isTrue();
        assertThat(curl.group(2)).isEqualTo("http://localhost:18080/api/v1/me/apikeys");
        assertThat(text).contains("curl -X POST").contains("/data/hmac-secret");
        SignedJWT token = SignedJWT.parse(curl.group(1));
        assertThat(token.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.HS256);
        assertThat(token.verify(new MACVerifier(SECRET.getBytes(StandardCharsets.UTF_8)))).isTrue();
        assertThat(token.getJWTClaimsSet().getSubject()).isEqualTo("demo");
        assertThat(token.getJWTClaimsSet().getStringListClaim("org_ids")).isEmpty();
        assertThat(token.getJWTClaimsSet().getExpirationTime().toInstant()).isEqualTo(now.plus(Duration.ofDays(7)));
        assertThat(token.getJWTClaimsSet().getClaim("scope")).isNull();
    }

    @Test
    void printsAVerifyCurlWithAServiceTokenHoldingTheVerifyScope() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);

        String text = DemoCurlBanner.text(SECRET, "/data/hmac-secret", 18080, now);

        Matcher curl = Pattern.compile("curl -X POST -H \"Authorization: Bearer ([^\"]+)\"[^']+'\\{\"key\"[^']+' (\\S+)")
                .matcher(text);
        assertThat(curl.find()).as(text).isTrue();
        assertThat(curl.group(2)).isEqualTo("http://localhost:18080/api/v1/apikeys/verify");
        SignedJWT token = SignedJWT.parse(curl.group(1));
        assertThat(token.verify(new MACVerifier(SECRET.getBytes(StandardCharsets.UTF_8)))).isTrue();
        assertThat(token.getJWTClaimsSet().getSubject()).isEqualTo("demo-gateway");
        assertThat(token.getJWTClaimsSet().getStringClaim("scope")).isEqualTo("apikeys:verify");
    }
}

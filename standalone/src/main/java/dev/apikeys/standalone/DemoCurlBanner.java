package dev.apikeys.standalone;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.apikeys.runtime.security.SecurityProperties;
import dev.apikeys.standalone.embedded.StandaloneProperties;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Once the service is ready, prints curls that work as pasted: a token for user {@code demo}, and
 * one for a service {@code demo-gateway} holding {@code apikeys:verify}, both signed with the
 * secret the standalone service made and keeps in its data directory. Only for that secret: when
 * the operator gives one, minting tokens is their identity provider's job.
 */
@Component
class DemoCurlBanner implements ApplicationListener<ApplicationReadyEvent> {

    static final String DEMO_USER = "demo";
    static final String DEMO_SERVICE = "demo-gateway";
    static final Duration TOKEN_LIFETIME = Duration.ofDays(7);
    private final StandaloneProperties standalone;
    private final SecurityProperties security;

    DemoCurlBanner(Environment environment, SecurityProperties security) {
        this.standalone = StandaloneProperties.of(environment);
        this.security = security;
    }

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        if (standalone.hmacSecretFile() == null || security.hmacSecret() == null) {
            return;
        }
        Environment environment = event.getApplicationContext().getEnvironment();
        int port = environment.getProperty("local.server.port", Integer.class,
                environment.getProperty("server.port", Integer.class, 8080));
        System.out.println(text(security.hmacSecret(), standalone.hmacSecretFile().toString(), port, Instant.now()));
    }

    static String text(String secret, String secretFile, int port, Instant now) {
        String token = token(secret, DEMO_USER, null, now);
        String serviceToken = token(secret, DEMO_SERVICE, "apikeys:verify", now);
        String url = "http://localhost:" + port + "/api/v1/me/apikeys";
        String verifyUrl = "http://localhost:" + port + "/api/v1/apikeys/verify";
        return """

                API key service ready. A token for user "%s", valid for %d days, signed with the secret in %s:

                  curl -H "Authorization: Bearer %s" %s

                  curl -X POST -H "Authorization: Bearer %s" -H "Content-Type: application/json" \\
                       -d '{"name": "my first key", "scopes": ["models:read"]}' %s

                A platform service ("%s", scope apikeys:verify) checks a key the same way:

                  curl -X POST -H "Authorization: Bearer %s" -H "Content-Type: application/json" \\
                       -d '{"key": "sk_...", "required_scopes": ["models:read"]}' %s
                """.formatted(DEMO_USER, TOKEN_LIFETIME.toDays(), secretFile, token, url, token, url, DEMO_SERVICE,
                serviceToken, verifyUrl);
    }

    /** @param scope the service rights the token grants, or null for none */
    static String token(String secret, String subject, String scope, Instant now) {
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject(subject)
                .claim("org_ids", List.of())
                .claim("scope", scope)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(TOKEN_LIFETIME)))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        try {
            jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (JOSEException e) {
            throw new IllegalStateException("Could not sign the demo token", e);
        }
        return jwt.serialize();
    }
}

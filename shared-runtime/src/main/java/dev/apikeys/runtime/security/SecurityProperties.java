package dev.apikeys.runtime.security;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How callers' tokens are checked ({@code apikeys.security.*}).
 *
 * @param hmacSecret the HS256 secret, at least 32 bytes; null: the issuer's keys
 *        ({@code spring.security.oauth2.resourceserver.jwt.*}) apply instead
 * @param clockSkew how long after its {@code exp} (and before its {@code nbf}) a token still passes
 */
@ConfigurationProperties("apikeys.security")
public record SecurityProperties(String hmacSecret, @DefaultValue("10s") Duration clockSkew) {

    public SecurityProperties {
        if (clockSkew.isNegative()) {
            throw new IllegalArgumentException("apikeys.security.clock-skew must not be negative: " + clockSkew);
        }
    }
}

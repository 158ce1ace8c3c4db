package dev.apikeys.runtime.security;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/**
 * With {@code apikeys.security.hmac-secret} set, HS256 tokens signed with it are accepted. Without
 * it, Spring Boot's own decoder from {@code spring.security.oauth2.resourceserver.jwt.issuer-uri}
 * or {@code jwk-set-uri} applies; it picks up {@link #requiredClaimsValidator()} as an additional
 * validator, so both paths demand {@code exp} and {@code sub}, and identity claims the service can
 * store ({@link IdentityClaimsValidator}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SecurityProperties.class)
class JwtDecoderConfiguration {

    static final String HMAC_SECRET_PROPERTY = "apikeys.security.hmac-secret";
    static final int MIN_SECRET_BYTES = 32;

    /**
     * Whichever decoder applies, HMAC or the issuer's keys, takes tokens in their exact form only
     * and remembers the ones it accepted.
     */
    @Bean
    static BeanPostProcessor cachingJwtDecoders() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                return bean instanceof JwtDecoder decoder && !(bean instanceof CachingJwtDecoder)
                        ? new CachingJwtDecoder(new ExactFormJwtDecoder(decoder), Clock.systemUTC())
                        : bean;
            }
        };
    }

    /**
     * Added to either decoder's own validators, whose timestamp check allows 60 s of clock skew:
     * both must pass, so {@code apikeys.security.clock-skew} is what holds.
     */
    @Bean
    OAuth2TokenValidator<Jwt> requiredClaimsValidator(SecurityProperties properties) {
        // The timestamp validator checks exp only when present; a token that never expires is refused.
        return new DelegatingOAuth2TokenValidator<>(
                new JwtTimestampValidator(properties.clockSkew()),
                new JwtClaimValidator<>(JwtClaimNames.EXP, exp -> exp != null),
                new JwtClaimValidator<String>(JwtClaimNames.SUB, sub -> sub != null && !sub.isBlank()),
                new IdentityClaimsValidator());
    }

    @Bean
    @ConditionalOnProperty(HMAC_SECRET_PROPERTY)
    JwtDecoder hmacJwtDecoder(SecurityProperties properties, OAuth2TokenValidator<Jwt> requiredClaimsValidator) {
        byte[] secretBytes = properties.hmacSecret().getBytes(StandardCharsets.UTF_8);
        if (secretBytes.length < MIN_SECRET_BYTES) {
            throw new IllegalStateException(HMAC_SECRET_PROPERTY + " must be at least " + MIN_SECRET_BYTES
                    + " bytes (UTF-8) for HS256; the configured value has " + secretBytes.length + ".");
        }
        SecretKey key = new SecretKeySpec(secretBytes, "HmacSHA256");
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withSecretKey(key).macAlgorithm(MacAlgorithm.HS256).build();
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(
                JwtValidators.createDefault(), requiredClaimsValidator));
        return decoder;
    }
}

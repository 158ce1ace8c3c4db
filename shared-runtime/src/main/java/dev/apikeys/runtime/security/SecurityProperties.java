package dev.apikeys.runtime.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How callers' tokens are checked ({@code apikeys.security.*}).
 *
 * @param hmacSecret the HS256 secret, at least 32 bytes; null: the issuer's keys
 *        ({@code spring.security.oauth2.resourceserver.jwt.*}) apply instead
 */
@ConfigurationProperties("apikeys.security")
public record SecurityProperties(String hmacSecret) {
}

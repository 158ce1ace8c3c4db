package dev.apikeys.command.quota;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** @param maxKeysPerUser the keys a user may hold that are not deleted */
@ConfigurationProperties("apikeys")
record KeyQuotaProperties(@DefaultValue("100") int maxKeysPerUser) {
}

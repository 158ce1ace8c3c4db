package dev.apikeys.runtime;

import java.time.Clock;
import java.time.ZoneOffset;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class ClockConfiguration {

    /**
     * "Now" for both sides. Millisecond ticks: every store the timestamps pass through (JSON,
     * PostgreSQL, Kafka) keeps them unchanged.
     */
    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.tickMillis(ZoneOffset.UTC);
    }
}

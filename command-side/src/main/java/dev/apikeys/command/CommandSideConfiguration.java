package dev.apikeys.command;

import dev.apikeys.events.EventMetadata;
import java.time.Clock;
import java.time.ZoneOffset;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.correlation.SimpleCorrelationDataProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class CommandSideConfiguration {

    /**
     * "Now" for the aggregate and the web layer. Millisecond ticks: every store the timestamps
     * pass through (JSON, PostgreSQL, Kafka) keeps them unchanged.
     */
    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.tickMillis(ZoneOffset.UTC);
    }

    /** Copies who acted and the request's correlation id from each command onto its events. */
    @Bean
    CorrelationDataProvider actorAndCorrelationIdProvider() {
        return new SimpleCorrelationDataProvider(EventMetadata.ACTOR_ID, EventMetadata.CORRELATION_ID);
    }
}

package dev.apikeys.command;

import dev.apikeys.events.EventMetadata;
import java.time.Clock;
import java.time.ZoneOffset;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.lifecycle.Phase;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.correlation.SimpleCorrelationDataProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

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

    /**
     * Registered once the bus exists (at start, before any command can arrive), so after the
     * transaction interceptor Axon gave the bus when it built it.
     */
    @Bean
    ConfigurerModule keyWriteLockInEveryCommand(JdbcTemplate jdbc) {
        return configurer -> configurer.onInitialize(configuration -> configuration.onStart(
                Phase.LOCAL_MESSAGE_HANDLER_REGISTRATIONS,
                () -> configuration.commandBus().registerHandlerInterceptor(new KeyWriteLock(jdbc))));
    }

    /** Copies who acted and the request's correlation id from each command onto its events. */
    @Bean
    CorrelationDataProvider actorAndCorrelationIdProvider() {
        return new SimpleCorrelationDataProvider(EventMetadata.ACTOR_ID, EventMetadata.CORRELATION_ID);
    }
}

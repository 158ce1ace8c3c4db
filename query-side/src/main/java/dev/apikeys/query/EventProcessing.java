package dev.apikeys.query;

import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** What every event processor of the query side shares. */
@Configuration(proxyBeanMethods = false)
class EventProcessing {

    /**
     * A failing handler fails its batch instead of being logged and skipped (Axon's default): the
     * batch rolls back and the processor retries it with backoff, so neither the read model nor the
     * audit stream ever silently misses an event.
     */
    @Bean
    ConfigurerModule failingHandlersFailTheirBatch() {
        return configurer -> configurer.eventProcessing(processing -> processing
                .registerDefaultListenerInvocationErrorHandler(configuration -> PropagatingErrorHandler.instance()));
    }
}

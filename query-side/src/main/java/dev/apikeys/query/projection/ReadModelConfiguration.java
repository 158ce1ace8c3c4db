package dev.apikeys.query.projection;

import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class ReadModelConfiguration {

    /**
     * A failing handler fails its batch instead of being logged and skipped, so the read model
     * never silently misses an event; the processor retries the batch with backoff.
     */
    @Bean
    ConfigurerModule readModelRetriesFailures() {
        return configurer -> configurer.eventProcessing(processing -> processing
                .registerListenerInvocationErrorHandler(ApiKeyProjection.PROCESSOR,
                        configuration -> PropagatingErrorHandler.instance()));
    }
}

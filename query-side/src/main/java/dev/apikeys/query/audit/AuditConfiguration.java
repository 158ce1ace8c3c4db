package dev.apikeys.query.audit;

import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AuditProperties.class)
class AuditConfiguration {

    /**
     * A failing handler fails its batch instead of being logged and skipped: the batch rolls back
     * and the processor retries it with backoff, so no event goes unpublished.
     */
    @Bean
    ConfigurerModule auditPublisherRetriesFailures() {
        return configurer -> configurer.eventProcessing(processing -> processing
                .registerListenerInvocationErrorHandler(AuditPublisher.PROCESSOR,
                        configuration -> PropagatingErrorHandler.instance()));
    }
}

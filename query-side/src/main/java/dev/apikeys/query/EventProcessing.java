package dev.apikeys.query;

import dev.apikeys.events.ApiKeyUsageStream;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventhandling.async.SequencingPolicy;
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

    /**
     * Every processor handles a key's usage in order with its lifecycle, on the key's segment. Axon's
     * Spring Boot configuration gives each processor named in {@code axon.eventhandling.processors}
     * its own policy, per aggregate unless the processor's {@code sequencing-policy} names a bean:
     * application.yml names this one for each.
     */
    @Bean
    SequencingPolicy<EventMessage<?>> keySequencingPolicy() {
        return EventProcessing::keyOf;
    }

    /**
     * The key an event is about: its aggregate, or the key whose usage stream it lies in. Sequenced
     * per aggregate (Axon's default), a key's usage would fall to another segment than the key and
     * could be handled before its creation or out of order with its lifecycle. A key's own events
     * keep the segment the default gave them, as segments hash this same string; events without an
     * aggregate are sequenced by their id, as by the default. Read-your-writes
     * (consistency.EventStoreHead) computes the same identifier in SQL.
     */
    static Object keyOf(EventMessage<?> event) {
        if (event instanceof DomainEventMessage<?> domainEvent) {
            return ApiKeyUsageStream.keyIdOf(domainEvent.getAggregateIdentifier());
        }
        return event.getIdentifier();
    }
}

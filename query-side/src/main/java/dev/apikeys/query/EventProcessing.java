package dev.apikeys.query;

import dev.apikeys.events.ApiKeyUsageStream;
import java.lang.management.ManagementFactory;
import java.util.UUID;
import org.axonframework.common.jpa.EntityManagerProvider;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventhandling.async.SequencingPolicy;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.jpa.JpaTokenStore;
import org.axonframework.serialization.Serializer;
import org.axonframework.springboot.TokenStoreProperties;
import org.springframework.beans.factory.annotation.Value;
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
     * Once its stream wakes it, an idle coordinator runs on its own only every claim extension
     * threshold (Axon's default 5 s), and its work packages extend their claims only when such a run
     * lets them check: two checks could then lie 10 s apart, the token store's claim timeout, and
     * another instance take the segment. At 2 s the claims are extended well within the timeout.
     */
    private static final long CLAIM_EXTENSION_THRESHOLD_MILLIS = 2000;

    @Bean
    ConfigurerModule processorsExtendTheirClaimsWellWithinTheTimeout() {
        return configurer -> configurer.eventProcessing(processing -> processing
                .registerPooledStreamingEventProcessorConfiguration((configuration, builder) -> builder
                        .claimExtensionThreshold(CLAIM_EXTENSION_THRESHOLD_MILLIS)));
    }

    /**
     * The name this instance claims processor segments under. Axon's default, the JVM's
     * {@code pid@host}, would make two instances in one JVM (or two containers that both run as pid
     * 1 on hosts of one name) one claimant, each processing every event; a random part makes every
     * start a claimant of its own.
     */
    @Bean
    ProcessingNode processingNode(@Value("${apikeys.node-id:}") String configured) {
        return new ProcessingNode(configured.isBlank()
                ? ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID().toString().substring(0, 8)
                : configured);
    }

    /**
     * Axon's JPA token store as Spring Boot would configure it, claiming under {@link ProcessingNode}
     * and initializing segments once however many instances start together.
     */
    @Bean
    TokenStore tokenStore(Serializer serializer, EntityManagerProvider entityManagerProvider,
            TokenStoreProperties properties, ProcessingNode node) {
        return new SharedJpaTokenStore(JpaTokenStore.builder()
                .entityManagerProvider(entityManagerProvider)
                .serializer(serializer)
                .claimTimeout(properties.getClaimTimeout())
                .nodeId(node.id()), entityManagerProvider);
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

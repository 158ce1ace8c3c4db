package dev.apikeys.query.processing;

import dev.apikeys.events.ApiKeyUsageStream;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import org.axonframework.common.jpa.EntityManagerProvider;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.jpa.JpaTokenStore;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.lifecycle.Phase;
import org.axonframework.serialization.Serializer;
import org.axonframework.springboot.EventProcessorProperties;
import org.axonframework.springboot.TokenStoreProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Every setting of the query side's event processors beyond apikeys-query-side.yml's, in one place. */
@Configuration(proxyBeanMethods = false)
class ProcessingConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ProcessingConfiguration.class);

    /** Segments per processor: up to this many query-side instances share its work. */
    private static final int SEGMENTS = 4;
    /**
     * Processor apikey-analytics has one: one owner's keys fall into different segments, whose
     * batches would add to the same (owner, day) rows at once and deadlock. One segment keeps up.
     */
    private static final Map<String, Integer> SEGMENTS_OF = Map.of("apikey-analytics", 1);
    /** Events per batch, across keys: a few statements per 500 events. */
    private static final int BATCH_SIZE = 500;
    /** Free segments are claimed every second: a takeover from a dead instance is quick. */
    private static final long TOKEN_CLAIM_INTERVAL_MILLIS = 1000;
    /** How often claims are extended, busy or idle: well within the claim timeout (apikeys-query-side.yml). */
    private static final long CLAIM_EXTENSION_THRESHOLD_MILLIS = 2000;

    /**
     * Every processor is Axon's pooled streaming processor on its JPA token store, woken as events
     * arrive ({@link EventArrivals}): a key's events sequenced together ({@link #keyOf}), at most its fair share of segments claimed
     * ({@link SegmentBalancer}), claims of segments busy with a long batch (the audit publisher's
     * waits for Kafka) extended by the coordinator, and waits told when it moved
     * ({@link ProcessorProgress}). A failing handler fails its batch, which rolls back and is
     * retried with backoff, rather than being logged and skipped (Axon's default): neither the read
     * model nor the audit stream ever silently misses an event. Processors named in
     * {@code axon.eventhandling.processors} are set up as that says.
     */
    @Bean
    ConfigurerModule eventProcessing(ProcessorProgress progress, SegmentBalancer balancer, EventArrivals arrivals,
            EventProcessorProperties configured, ObjectProvider<TokenStore> tokenStore,
            ObjectProvider<TransactionManager> transactions) {
        return configurer -> {
            configurer.eventProcessing(processing -> {
                processing.configureDefaultStreamableMessageSource(configuration -> arrivals)
                        .usingPooledStreamingEventProcessors((configuration, builder) -> builder
                                .initialSegmentCount(SEGMENTS)
                                .batchSize(BATCH_SIZE)
                                .tokenClaimInterval(TOKEN_CLAIM_INTERVAL_MILLIS)
                                .claimExtensionThreshold(CLAIM_EXTENSION_THRESHOLD_MILLIS)
                                .enableCoordinatorClaimExtension()
                                .maxSegmentProvider(balancer::fairShare)
                                .workerExecutor(name -> {
                                    ScheduledExecutorService workers = progress.workerExecutor(name);
                                    configuration.onShutdown(workers::shutdown);
                                    return workers;
                                }))
                        .registerDefaultSequencingPolicy(configuration -> ProcessingConfiguration::keyOf)
                        .registerDefaultListenerInvocationErrorHandler(
                                configuration -> PropagatingErrorHandler.instance());
                SEGMENTS_OF.forEach((name, segments) -> processing.registerPooledStreamingEventProcessorConfiguration(
                        name, (configuration, builder) -> builder.initialSegmentCount(segments)));
            });
            configurer.onInitialize(configuration -> configuration.onStart(Phase.INBOUND_EVENT_CONNECTORS - 1,
                    () -> configuration.eventProcessingConfiguration().eventProcessors().keySet().stream()
                            .filter(name -> !configured.getProcessors().containsKey(name))
                            .forEach(name -> initializeSegments(tokenStore.getObject(), transactions.getObject(),
                                    name, SEGMENTS_OF.getOrDefault(name, SEGMENTS)))));
        };
    }

    /**
     * A processor's segments are made before any instance starts it: instances starting together on
     * a fresh database would each make them in their processor's start, and the loser's start fail.
     */
    static void initializeSegments(TokenStore tokenStore, TransactionManager transactions, String name,
            int segments) {
        try {
            transactions.executeInTransaction(() -> {
                if (tokenStore.fetchSegments(name).length == 0) {
                    tokenStore.initializeTokenSegments(name, segments);
                }
            });
        } catch (RuntimeException madeMeanwhile) {
            log.debug("Segments of {} made by another instance meanwhile: {}", name, madeMeanwhile.toString());
        }
    }

    /**
     * The waits of reads and verifications for the writes before them. A wait whose positions are
     * behind publishes nothing to the event store, which then fetches for its tailing streams, as
     * after every commit it sees: so they learn of other processes' commits at once.
     */
    @Bean
    CatchUp catchUp(EventStoreIndex index, EventStore eventStore) {
        return new CatchUp(new StoreHead(index::head), index::between, () -> eventStore.publish(List.of()));
    }

    /**
     * The name this instance claims segments under. Axon's default, {@code pid@host}, would make
     * two instances in one JVM (or two containers both pid 1 on hosts of one name) one claimant.
     */
    @Bean
    ProcessingNode processingNode(ProcessingProperties properties) {
        return new ProcessingNode(properties.nodeId().isBlank()
                ? ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID().toString().substring(0, 8)
                : properties.nodeId());
    }

    /** Axon's JPA token store as Spring Boot would configure it, claiming under {@link ProcessingNode}. */
    @Bean
    TokenStore tokenStore(Serializer serializer, EntityManagerProvider entityManagerProvider,
            TokenStoreProperties properties, ProcessingNode node) {
        return JpaTokenStore.builder()
                .entityManagerProvider(entityManagerProvider)
                .serializer(serializer)
                .claimTimeout(properties.getClaimTimeout())
                .nodeId(node.id())
                .build();
    }

    /**
     * The key an event is about: its aggregate, or the key whose usage stream it lies in. Per
     * aggregate (Axon's default), a key's usage could be handled before its creation. A key's own
     * events keep the segment the default gave them.
     */
    static Object keyOf(EventMessage<?> event) {
        if (event instanceof DomainEventMessage<?> domainEvent) {
            return ApiKeyUsageStream.keyIdOf(domainEvent.getAggregateIdentifier());
        }
        return event.getIdentifier();
    }
}

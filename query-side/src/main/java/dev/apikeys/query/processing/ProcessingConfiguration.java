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

/**
 * Every setting of the query side's event processors beyond apikeys-query-side.yml's, in one place: the
 * processors themselves are Axon's pooled streaming processors on Axon's JPA token store.
 */
@Configuration(proxyBeanMethods = false)
class ProcessingConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ProcessingConfiguration.class);

    /** Segments per processor, so up to this many query-side instances share its work. */
    private static final int SEGMENTS = 4;
    /**
     * Processor apikey-analytics has one: a batch adds to (owner, day) rows, and one owner's keys
     * fall into different segments, so batches of two segments would update the same rows at once
     * (waiting on, or deadlocking with, each other). Counting is cheap; one segment keeps up.
     */
    private static final Map<String, Integer> SEGMENTS_OF = Map.of("apikey-analytics", 1);
    /** Events per batch, across keys: a catch-up writes each table a few times per 500 events. */
    private static final int BATCH_SIZE = 500;
    /** Free segments are claimed every second, so a takeover from a dead instance is quick. */
    private static final long TOKEN_CLAIM_INTERVAL_MILLIS = 1000;
    /**
     * Once its stream wakes it, an idle coordinator runs on its own only every claim extension
     * threshold, and its work packages extend their claims only when such a run lets them check: at
     * 2 s, well within the token store's claim timeout (apikeys-query-side.yml).
     */
    private static final long CLAIM_EXTENSION_THRESHOLD_MILLIS = 2000;

    /**
     * Every processor of the query side: Axon's pooled streaming processor, sequencing a key's
     * events together ({@link #keyOf}), claiming at most its fair share of segments
     * ({@link SegmentBalancer}), its coordinator extending the claims of segments busy with a long
     * batch (the audit publisher's waits for Kafka), and its workers telling waits when it moved
     * ({@link ProcessorProgress}). A failing handler fails its batch instead of being logged and
     * skipped (Axon's default): the batch rolls back and the processor retries it with backoff, so
     * neither the read model nor the audit stream ever silently misses an event. Processors a
     * deployment names in {@code axon.eventhandling.processors} are Axon's to set up as it says.
     */
    @Bean
    ConfigurerModule eventProcessing(ProcessorProgress progress, SegmentBalancer balancer,
            EventProcessorProperties configured, ObjectProvider<TokenStore> tokenStore,
            ObjectProvider<TransactionManager> transactions) {
        return configurer -> {
            configurer.eventProcessing(processing -> {
                processing.usingPooledStreamingEventProcessors((configuration, builder) -> builder
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
     * A processor's segments are made once, before any instance starts it. Instances starting
     * together on a fresh database would each make them inside their processor's start, and the
     * loser's insert, failing on the primary key, failed its start; here the loser finds them made.
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
     * The waits of reads and verifications for the writes that answered before them, on the
     * store's index: each with a head read begun after it, one read serving every wait that asked
     * meanwhile. Axon's event store fetches for its tailing streams after every commit it sees, also
     * one of nothing: a wait whose positions are behind publishes nothing, which wakes them for the
     * commits of other processes, which the event store does not see.
     */
    @Bean
    CatchUp catchUp(EventStoreIndex index, EventStore eventStore) {
        return new CatchUp(new StoreHead(index::head), index::between, () -> eventStore.publish(List.of()));
    }

    /**
     * The name this instance claims processor segments under. Axon's default, the JVM's
     * {@code pid@host}, would make two instances in one JVM (or two containers that both run as pid
     * 1 on hosts of one name) one claimant, each processing every event; a random part makes every
     * start a claimant of its own.
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
     * The key an event is about: its aggregate, or the key whose usage stream it lies in. Sequenced
     * per aggregate (Axon's default), a key's usage would fall to another segment than the key and
     * could be handled before its creation or out of order with its lifecycle. A key's own events
     * keep the segment the default gave them, as segments hash this same string; events without an
     * aggregate are sequenced by their id, as by the default.
     */
    static Object keyOf(EventMessage<?> event) {
        if (event instanceof DomainEventMessage<?> domainEvent) {
            return ApiKeyUsageStream.keyIdOf(domainEvent.getAggregateIdentifier());
        }
        return event.getIdentifier();
    }
}

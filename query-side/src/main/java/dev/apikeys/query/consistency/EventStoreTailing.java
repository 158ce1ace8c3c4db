package dev.apikeys.query.consistency;

import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.common.jpa.EntityManagerProvider;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.Configuration;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.EventBusSpanFactory;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventsourcing.eventstore.jpa.JpaEventStorageEngine;
import org.axonframework.serialization.Serializer;
import org.axonframework.springboot.util.RegisterDefaultEntities;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;

/**
 * The event store as Axon's autoconfiguration builds it, but with tracking streams that tail the
 * database every 20 ms and wake the processors as soon as they have new events
 * ({@link PrefetchingEventStore}). When the command side runs in another process, no local commit
 * wakes the streams, so that tick is the idle lag every read-your-writes wait pays; and without
 * being woken, a pooled processor looks at its stream only every 500 ms.
 * <p>
 * Axon's JPA event store autoconfiguration backs off once an EventStore bean exists, taking the
 * storage engine and the registration of its entities with it, so both are restated here as Axon
 * 4.13 builds them, with a storage engine that reads tracked events with index-friendly queries
 * ({@link GapReadingEventStorageEngine}).
 */
@org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
@RegisterDefaultEntities(packages = "org.axonframework.eventsourcing.eventstore.jpa")
class EventStoreTailing {

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

    /** Events per query of a stream: a catch-up of a million is a thousand queries, not ten thousand. */
    private static final int TRACKED_BATCH = 1000;

    @Bean
    EventStorageEngine eventStorageEngine(Serializer defaultSerializer,
            PersistenceExceptionResolver persistenceExceptionResolver,
            @Qualifier("eventSerializer") Serializer eventSerializer, Configuration configuration,
            EntityManagerProvider entityManagerProvider, TransactionManager transactionManager) {
        return new GapReadingEventStorageEngine(JpaEventStorageEngine.builder()
                .snapshotSerializer(defaultSerializer)
                .upcasterChain(configuration.upcasterChain())
                .persistenceExceptionResolver(persistenceExceptionResolver)
                .eventSerializer(eventSerializer)
                .snapshotFilter(configuration.snapshotFilter())
                .entityManagerProvider(entityManagerProvider)
                .transactionManager(transactionManager)
                .batchSize(TRACKED_BATCH)
                .maxGapOffset(GapReadingEventStorageEngine.MAX_GAP_OFFSET)
                .gapTimeout((int) GapReadingEventStorageEngine.GAP_TIMEOUT_MILLIS)
                .gapCleaningThreshold(GapReadingEventStorageEngine.GAP_CLEANING_THRESHOLD), transactionManager);
    }

    @Bean(name = "eventBus")
    @Qualifier("eventStore")
    PrefetchingEventStore eventStore(EventStorageEngine storageEngine, Configuration configuration) {
        return new PrefetchingEventStore(EmbeddedEventStore.builder()
                .storageEngine(storageEngine)
                .messageMonitor(configuration.messageMonitor(EventStore.class, "eventStore"))
                .spanFactory(configuration.getComponent(EventBusSpanFactory.class)));
    }
}

package dev.apikeys.runtime.axon;

import java.util.List;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.DomainEventData;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.serialization.Serializer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Axon's JDBC storage engine on the command side's tables in schema {@code event_store}, for both
 * sides: the command side appends with it, the query side reads with it. Its statements are the
 * ones PostgreSQL answers from the indexes: a batch of tracked events is a range of the global
 * index, and the gaps in a token are looked up by their index. Appends are one batched insert per
 * transaction, the global index taken from the column's sequence (one at a time, so a tracking
 * token never has to skip a preallocated block). Every side runs on a configured database; without
 * one (the runtime's own tests) there is no event store.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty("spring.datasource.url")
class EventStoreConfiguration {

    /** Events per query: a catch-up of a million is a thousand queries. */
    static final int BATCH_SIZE = 1000;

    static final EventSchema SCHEMA = EventSchema.builder()
            .eventTable("event_store.domain_event_entry")
            .snapshotTable("event_store.snapshot_event_entry")
            .globalIndexColumn("global_index")
            .eventIdentifierColumn("event_identifier")
            .aggregateIdentifierColumn("aggregate_identifier")
            .sequenceNumberColumn("sequence_number")
            .typeColumn("type")
            .timestampColumn("time_stamp")
            .payloadTypeColumn("payload_type")
            .payloadRevisionColumn("payload_revision")
            .payloadColumn("payload")
            .metaDataColumn("meta_data")
            .build();

    /**
     * As Axon's JDBC autoconfiguration builds it, with this schema and batch size, and a stream's
     * events read with their global index ({@link StreamOrderJdbcEventStorageEngine}). A key's stream is
     * read until a batch comes back short rather than empty: the query asks for a range of sequence
     * numbers, so a short batch is the end, and a key's events are one query, not two.
     */
    @Bean
    EventStorageEngine eventStorageEngine(Serializer defaultSerializer,
            @Qualifier("eventSerializer") Serializer eventSerializer,
            PersistenceExceptionResolver persistenceExceptionResolver,
            org.axonframework.config.Configuration configuration, ConnectionProvider connectionProvider,
            TransactionManager transactionManager) {
        JdbcEventStorageEngine.Builder builder = JdbcEventStorageEngine.builder()
                .snapshotSerializer(defaultSerializer)
                .eventSerializer(eventSerializer)
                .upcasterChain(configuration.upcasterChain())
                .snapshotFilter(configuration.snapshotFilter())
                .persistenceExceptionResolver(persistenceExceptionResolver)
                .connectionProvider(connectionProvider)
                .transactionManager(transactionManager)
                .schema(SCHEMA)
                .batchSize(BATCH_SIZE)
                .finalAggregateBatchPredicate(EventStoreConfiguration::isShort);
        return new StreamOrderJdbcEventStorageEngine(builder);
    }

    private static boolean isShort(List<? extends DomainEventData<?>> batch) {
        return batch.size() < BATCH_SIZE;
    }
}

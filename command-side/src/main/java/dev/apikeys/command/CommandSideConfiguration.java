package dev.apikeys.command;

import dev.apikeys.events.EventMetadata;
import java.sql.SQLException;
import java.util.concurrent.Executors;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.CommandBusSpanFactory;
import org.axonframework.commandhandling.DuplicateCommandHandlerResolver;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.commandhandling.gateway.IntervalRetryScheduler;
import org.axonframework.common.AxonThreadFactory;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.SnapshotTriggerDefinition;
import org.axonframework.eventsourcing.Snapshotter;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.correlation.SimpleCorrelationDataProvider;
import org.axonframework.messaging.interceptors.CorrelationDataInterceptor;
import org.axonframework.modelling.command.CommandTargetResolver;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.modelling.command.VersionedAggregateIdentifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

@Configuration(proxyBeanMethods = false)
class CommandSideConfiguration {

    /** Groups handled at once: while one waits for its commit, the others run. */
    private static final int WRITERS = 4;
    private static final int MAX_GROUP = 100;
    private static final int RETRIES = 10;
    private static final long RETRY_INTERVAL_MILLIS = 10;
    static final int SNAPSHOT_AFTER_EVENTS = 100;

    /**
     * Axon's command bus, as its autoconfiguration builds it, inside a bus that handles concurrent
     * commands in groups sharing one transaction ({@link GroupCommitCommandBus}). The inner bus
     * leaves transactions to the group. Each command on an existing key first takes the key's
     * write lock ({@link KeyWriteLock}).
     */
    @Bean
    CommandBus commandBus(TransactionManager transactionManager, org.axonframework.config.Configuration axon,
            DuplicateCommandHandlerResolver duplicateCommandHandlerResolver, JdbcTemplate jdbc) {
        SimpleCommandBus handlers = SimpleCommandBus.builder()
                .transactionManager(NoTransactionManager.instance())
                .duplicateCommandHandlerResolver(duplicateCommandHandlerResolver)
                .spanFactory(axon.getComponent(CommandBusSpanFactory.class))
                .messageMonitor(axon.messageMonitor(CommandBus.class, "commandBus"))
                .build();
        handlers.registerHandlerInterceptor(new CorrelationDataInterceptor<>(axon.correlationDataProviders()));
        handlers.registerHandlerInterceptor(new KeyWriteLock(jdbc));
        return new GroupCommitCommandBus(handlers, transactionManager, WRITERS, MAX_GROUP);
    }

    /**
     * Two writers that loaded the same version of a key collide on its next event's number; the
     * loser's transaction rolled back, and its command is sent again to decide on the fresh state.
     * Nothing else is retried: a refusal is final, and a database out of reach answers at once.
     * Axon looks for a non-transient failure along the chain of causes, so the SQL errors under a
     * conflict (a unique violation, SQLSTATE class 23; a deadlock or serialization failure, 40)
     * count as transient too, and every other SQL error (a lost connection) does not.
     */
    @Bean
    CommandGateway commandGateway(CommandBus commandBus) {
        return DefaultCommandGateway.builder()
                .commandBus(commandBus)
                .retryScheduler(IntervalRetryScheduler.builder()
                        .retryExecutor(Executors.newSingleThreadScheduledExecutor(
                                new AxonThreadFactory("command-retries")))
                        .retryInterval((int) RETRY_INTERVAL_MILLIS)
                        .maxRetryCount(RETRIES)
                        .nonTransientFailurePredicate(failure -> !(failure instanceof ConcurrencyException
                                || failure instanceof SQLException sql && sql.getSQLState() != null
                                        && (sql.getSQLState().startsWith("23") || sql.getSQLState().startsWith("40"))))
                        .build())
                .build();
    }

    /**
     * A key's aggregate is loaded from its latest snapshot and the events after it, so a command on
     * a key with a long past costs no more than one on a new key. A snapshot is taken, after the
     * commit, once a load and its command have handled this many events since the last one.
     */
    @Bean
    SnapshotTriggerDefinition apiKeySnapshots(Snapshotter snapshotter) {
        return new EventCountSnapshotTriggerDefinition(snapshotter, SNAPSHOT_AFTER_EVENTS);
    }

    /** The key a command is for, as it says itself. */
    @Bean
    CommandTargetResolver keyCommandTargetResolver() {
        return command -> new VersionedAggregateIdentifier(
                GroupCommitCommandBus.keyOf(command).toString(), null);
    }

    /** Copies who acted and the request's correlation id from each command onto its events. */
    @Bean
    CorrelationDataProvider actorAndCorrelationIdProvider() {
        return new SimpleCorrelationDataProvider(EventMetadata.ACTOR_ID, EventMetadata.CORRELATION_ID);
    }
}

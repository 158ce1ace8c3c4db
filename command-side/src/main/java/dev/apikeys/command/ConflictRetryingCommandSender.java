package dev.apikeys.command;

import dev.apikeys.runtime.persistence.AppendAnnouncer;
import java.util.concurrent.ThreadLocalRandom;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.common.lock.Lock;
import org.axonframework.common.lock.LockFactory;
import org.axonframework.common.lock.PessimisticLockFactory;
import org.axonframework.messaging.MetaData;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.AnnotationCommandTargetResolver;
import org.axonframework.modelling.command.CommandTargetResolver;
import org.axonframework.modelling.command.ConcurrencyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Sends a command and waits for its result, one command per key at a time in this instance. The
 * queue forms here, before Axon's unit of work opens a transaction: a command waiting for Axon's
 * aggregate lock holds a database connection, and 50 concurrent toggles of one key held the whole
 * pool, so every other request waited for a connection until it timed out.
 * <p>
 * Across instances {@link KeyWriteLock} orders the commands on a key. Should two writers still
 * load the same version of a key and both append its next event (an instance without that lock),
 * the unique (aggregate_identifier, sequence_number) lets one win, and Axon reports the loser as a
 * {@link ConcurrencyException}. Its transaction rolled back, so the command is sent again and
 * decides on the fresh state. Nothing else is retried: a business refusal is final.
 */
@Component
public class ConflictRetryingCommandSender {

    private static final Logger log = LoggerFactory.getLogger(ConflictRetryingCommandSender.class);
    static final int MAX_ATTEMPTS = 10;
    private static final long BACKOFF_STEP_MILLIS = 5;

    private final CommandGateway commandGateway;
    private final AppendAnnouncer announcer;
    private final LockFactory keyLocks = PessimisticLockFactory.usingDefaults();
    private final CommandTargetResolver targets = AnnotationCommandTargetResolver.builder().build();

    ConflictRetryingCommandSender(CommandGateway commandGateway, AppendAnnouncer announcer) {
        this.commandGateway = commandGateway;
        this.announcer = announcer;
    }

    /**
     * @return the handler's result
     * @throws ApiKeyNotFound also when no key has this id
     */
    public <R> R send(Object command, MetaData metaData) {
        CommandMessage<Object> message = GenericCommandMessage.asCommandMessage(command).andMetaData(metaData);
        try (Lock ignored = keyLocks.obtainLock(targets.resolveTarget(message).getIdentifier())) {
            return sendRetryingConflicts(message);
        }
    }

    private <R> R sendRetryingConflicts(CommandMessage<Object> message) {
        for (int attempt = 1; ; attempt++) {
            try {
                R result = commandGateway.sendAndWait(message);
                // Committed: the query side, in another process, learns of it now rather than at its next recheck.
                announcer.announce();
                return result;
            } catch (AggregateNotFoundException unknownKey) {
                throw new ApiKeyNotFound();
            } catch (ConcurrencyException conflict) {
                if (attempt == MAX_ATTEMPTS) {
                    throw conflict;
                }
                log.debug("Concurrent write to the same key, attempt {} of {}", attempt, MAX_ATTEMPTS);
                backOff(attempt);
            }
        }
    }

    /** Jittered, growing pause so the writers that collided do not collide again in lockstep. */
    private static void backOff(int attempt) {
        long millis = ThreadLocalRandom.current().nextLong(BACKOFF_STEP_MILLIS * attempt, BACKOFF_STEP_MILLIS * attempt * 4 + 1);
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while retrying a command", e);
        }
    }
}

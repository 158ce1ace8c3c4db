package dev.apikeys.command;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import jakarta.annotation.Nonnull;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.CommandCallback;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.CommandResultMessage;
import org.axonframework.commandhandling.GenericCommandResultMessage;
import org.axonframework.commandhandling.callbacks.NoOpCallback;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.common.Registration;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.lifecycle.Lifecycle;
import org.axonframework.lifecycle.Phase;
import org.axonframework.messaging.MessageDispatchInterceptor;
import org.axonframework.messaging.MessageHandler;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.ResultMessage;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.RollbackConfigurationType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Axon's simple command bus, but commands that arrive together share one transaction and its one
 * commit (group commit). Each writer thread takes the commands waiting for it, at most one per key,
 * and handles them in one unit of work holding the transaction: each command in a unit of work of
 * its own, nested in it, which Axon rolls back alone when its command is refused; their events are
 * appended together as the transaction commits; then each caller gets its own answer. Should the
 * transaction itself fail (a statement error, a conflict on a key's next event, the database out of
 * reach), every command of the group is handled again in a transaction of its own, so each is
 * accepted or refused on its own; once one of those cannot begin, the rest are told so at once.
 * <p>
 * A key's commands always go to the same writer, in the order they arrived, so no two of them
 * are handled at once in this process. A command handler must decide before it writes: a refused
 * command's events are dropped, but statements it ran before it was refused stay in the group's
 * transaction.
 */
class GroupCommitCommandBus implements CommandBus, Lifecycle {

    private static final Logger log = LoggerFactory.getLogger(GroupCommitCommandBus.class);

    private final SimpleCommandBus handlers;
    private final TransactionManager transactions;
    private final int maxGroup;
    private final List<Writer> writers = new ArrayList<>();

    /**
     * @param handlers handles each command; it must not manage transactions of its own
     * @param writers how many groups may be handled at once
     */
    GroupCommitCommandBus(SimpleCommandBus handlers, TransactionManager transactions, int writers, int maxGroup) {
        this.handlers = handlers;
        this.transactions = transactions;
        this.maxGroup = maxGroup;
        for (int i = 0; i < writers; i++) {
            this.writers.add(new Writer("command-writer-" + i));
        }
    }

    @Override
    public <C> void dispatch(@Nonnull CommandMessage<C> command) {
        dispatch(command, NoOpCallback.INSTANCE);
    }

    @Override
    public <C, R> void dispatch(@Nonnull CommandMessage<C> command,
            @Nonnull CommandCallback<? super C, ? super R> callback) {
        writers.get(Math.floorMod(keyOf(command).hashCode(), writers.size())).add(new Pending(command, callback));
    }

    @Override
    public Registration subscribe(@Nonnull String commandName,
            @Nonnull MessageHandler<? super CommandMessage<?>> handler) {
        return handlers.subscribe(commandName, handler);
    }

    @Override
    public Registration registerHandlerInterceptor(
            @Nonnull MessageHandlerInterceptor<? super CommandMessage<?>> handlerInterceptor) {
        return handlers.registerHandlerInterceptor(handlerInterceptor);
    }

    @Override
    public Registration registerDispatchInterceptor(
            @Nonnull MessageDispatchInterceptor<? super CommandMessage<?>> dispatchInterceptor) {
        return handlers.registerDispatchInterceptor(dispatchInterceptor);
    }

    /**
     * The writers stop once the web server stopped taking requests, and finish what they hold.
     * Spring's Axon registers these handlers twice, for the bean and for the configured component.
     */
    @Override
    public void registerLifecycleHandlers(@Nonnull LifecycleRegistry lifecycle) {
        lifecycle.onStart(Phase.LOCAL_MESSAGE_HANDLER_REGISTRATIONS, () -> writers.forEach(Writer::start));
        lifecycle.onShutdown(Phase.LOCAL_MESSAGE_HANDLER_REGISTRATIONS, () -> writers.forEach(Writer::stop));
    }

    static UUID keyOf(CommandMessage<?> command) {
        return ((KeyCommand) command.getPayload()).keyId();
    }

    /**
     * Handles the group in one transaction; if that fails, each of its commands in a transaction of
     * its own.
     *
     * @throws NoTransaction when none could begin (no connection in time, say), with the commands
     *         not answered yet
     */
    private void handle(List<Pending> group) {
        Outcome together;
        try {
            together = handleTogether(group);
        } catch (NoTransaction e) {
            throw e.unanswered(group);
        }
        if (together.committed() || group.size() == 1) {
            group.forEach(pending -> pending.answer(together.of(pending.command())));
            return;
        }
        for (int i = 0; i < group.size(); i++) {
            Pending pending = group.get(i);
            try {
                pending.answer(handleTogether(List.of(pending)).of(pending.command()));
            } catch (NoTransaction e) {
                // The database was out of reach for as long as this one waited: the rest of the
                // group are told so at once rather than each waiting as long again.
                throw e.unanswered(group.subList(i, group.size()));
            }
        }
    }

    private Outcome handleTogether(List<Pending> group) {
        Map<String, CommandResultMessage<?>> results = new HashMap<>();
        BatchingUnitOfWork<CommandMessage<?>> unit = new BatchingUnitOfWork<>(
                group.stream().<CommandMessage<?>>map(Pending::command).toList());
        AtomicBoolean committed = new AtomicBoolean();
        unit.afterCommit(done -> committed.set(true));
        unit.start();
        try {
            unit.attachTransaction(transactions);
        } catch (RuntimeException e) {
            throw new NoTransaction(e);
        }
        // Each command's refusal is its own: the group's unit rolls back only when it cannot commit.
        ResultMessage<?> last = unit.executeWithResult(() -> {
            handlers.dispatch(unit.getMessage(), (command, result) -> results.put(command.getIdentifier(), result));
            return null;
        }, RollbackConfigurationType.NEVER);
        if (!committed.get()) {
            log.debug("A group of {} commands did not commit: {}", group.size(), last.optionalExceptionResult());
        }
        return new Outcome(committed.get(), results, GenericCommandResultMessage.asCommandResultMessage(last));
    }

    /**
     * @param results each command's own result
     * @param last what the group's unit of work ended with: how its commit failed, if it did
     */
    private record Outcome(boolean committed, Map<String, CommandResultMessage<?>> results,
            CommandResultMessage<?> last) {

        /**
         * Its own result, unless the commit failed and the command did not: a command that failed
         * itself (say, as its connection broke) says why better than the commit it spoiled.
         */
        CommandResultMessage<?> of(CommandMessage<?> command) {
            CommandResultMessage<?> own = results.get(command.getIdentifier());
            return committed || own != null && own.isExceptional() ? own : last;
        }
    }

    private static final class NoTransaction extends RuntimeException {
        private transient List<Pending> unanswered = List.of();

        NoTransaction(RuntimeException cause) {
            super(cause);
        }

        NoTransaction unanswered(List<Pending> commands) {
            unanswered = commands;
            return this;
        }
    }

    /** A command waiting for its writer, and whom to answer. */
    private record Pending(CommandMessage<?> command, CommandCallback<?, ?> callback) {

        @SuppressWarnings({"unchecked", "rawtypes"})
        void answer(CommandResultMessage<?> result) {
            ((CommandCallback) callback).onResult(command, result);
        }
    }

    /** One thread handling groups of the commands given to it, in the order they arrived. */
    private final class Writer {

        private final ArrayDeque<Pending> waiting = new ArrayDeque<>();
        private final Thread thread;
        private boolean stopping;

        Writer(String name) {
            thread = new Thread(this::run, name);
            thread.setDaemon(true);
        }

        synchronized void start() {
            if (thread.getState() == Thread.State.NEW) {
                thread.start();
            }
        }

        synchronized void add(Pending pending) {
            waiting.add(pending);
            notifyAll();
        }

        void stop() {
            synchronized (this) {
                stopping = true;
                notifyAll();
            }
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /**
         * When no transaction could begin, the database was out of reach for as long as the group
         * waited for one: the commands that arrived meanwhile are told so at once, rather than each
         * waiting as long again behind the other.
         */
        private void run() {
            for (List<Pending> group = next(); !group.isEmpty(); group = next()) {
                try {
                    handle(group);
                } catch (NoTransaction e) {
                    log.debug("No transaction for a group of {} commands: {}", group.size(), e.getCause().toString());
                    CommandResultMessage<?> failure = GenericCommandResultMessage.asCommandResultMessage(e.getCause());
                    e.unanswered.forEach(pending -> pending.answer(failure));
                    waitingNow().forEach(pending -> pending.answer(failure));
                } catch (RuntimeException | Error e) {
                    log.error("Handling a group of {} commands failed", group.size(), e);
                    group.forEach(pending -> pending.answer(GenericCommandResultMessage.asCommandResultMessage(e)));
                }
            }
        }

        private synchronized List<Pending> waitingNow() {
            List<Pending> now = List.copyOf(waiting);
            waiting.clear();
            return now;
        }

        /** The commands waiting, at most one per key and {@code maxGroup} in all; empty once stopped. */
        private synchronized List<Pending> next() {
            while (waiting.isEmpty() && !stopping) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return List.of();
                }
            }
            List<Pending> group = new ArrayList<>();
            Set<UUID> keys = new HashSet<>();
            for (Iterator<Pending> pending = waiting.iterator(); pending.hasNext() && group.size() < maxGroup; ) {
                Pending next = pending.next();
                if (keys.add(keyOf(next.command()))) {
                    group.add(next);
                    pending.remove();
                }
            }
            return group;
        }
    }
}

package dev.apikeys.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.CommandResultMessage;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.common.transaction.Transaction;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.lifecycle.Phase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Commands handled in groups, each group in one transaction, on a bus with one writer. */
class GroupCommitCommandBusTest {

    private static final UUID FIRST = UUID.randomUUID();

    private final List<String> journal = Collections.synchronizedList(new ArrayList<>());
    private final Transactions transactions = new Transactions();
    private final CountDownLatch firstMayFinish = new CountDownLatch(1);
    private final CountDownLatch firstStarted = new CountDownLatch(1);
    private final List<UUID> refused = new ArrayList<>();
    private GroupCommitCommandBus bus;
    private Runnable stop;

    @BeforeEach
    void startBus() throws Exception {
        SimpleCommandBus handlers = SimpleCommandBus.builder().transactionManager(NoTransactionManager.instance())
                .build();
        handlers.subscribe(ToggleApiKey.class.getName(), command -> {
            ToggleApiKey toggle = (ToggleApiKey) command.getPayload();
            if (toggle.keyId().equals(FIRST)) {
                firstStarted.countDown();
                firstMayFinish.await(10, TimeUnit.SECONDS);
            }
            journal.add("handled " + toggle.userId());
            if (refused.contains(toggle.keyId())) {
                throw new ApiKeyNotFound();
            }
            return "done " + toggle.userId();
        });
        bus = new GroupCommitCommandBus(handlers, transactions, 1, 100);
        List<Runnable> starts = new ArrayList<>();
        List<Runnable> stops = new ArrayList<>();
        bus.registerLifecycleHandlers(new Lifecycle(starts, stops));
        starts.forEach(Runnable::run);
        stop = () -> stops.forEach(Runnable::run);
    }

    @AfterEach
    void stopBus() {
        firstMayFinish.countDown();
        stop.run();
    }

    @Test
    void commandsArrivingWhileAGroupIsHandledShareTheNextTransaction() throws Exception {
        CompletableFuture<CommandResultMessage<?>> first = send(FIRST, "first");
        assertThat(firstStarted.await(10, TimeUnit.SECONDS)).isTrue();
        List<CompletableFuture<CommandResultMessage<?>>> waiting = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            waiting.add(send(UUID.randomUUID(), "waiting-" + i));
        }

        firstMayFinish.countDown();

        assertThat(first.get(10, TimeUnit.SECONDS).getPayload()).isEqualTo("done first");
        for (int i = 0; i < 5; i++) {
            assertThat(waiting.get(i).get(10, TimeUnit.SECONDS).getPayload()).isEqualTo("done waiting-" + i);
        }
        assertThat(transactions.committed).hasValue(2);
    }

    @Test
    void aRefusedCommandLeavesTheOthersOfItsGroupAccepted() throws Exception {
        CompletableFuture<CommandResultMessage<?>> first = send(FIRST, "first");
        assertThat(firstStarted.await(10, TimeUnit.SECONDS)).isTrue();
        UUID refusedKey = UUID.randomUUID();
        refused.add(refusedKey);
        CompletableFuture<CommandResultMessage<?>> before = send(UUID.randomUUID(), "before");
        CompletableFuture<CommandResultMessage<?>> refusal = send(refusedKey, "refused");
        CompletableFuture<CommandResultMessage<?>> after = send(UUID.randomUUID(), "after");

        firstMayFinish.countDown();

        first.get(10, TimeUnit.SECONDS);
        assertThat(refusal.get(10, TimeUnit.SECONDS).exceptionResult()).isInstanceOf(ApiKeyNotFound.class);
        assertThat(before.get(10, TimeUnit.SECONDS).getPayload()).isEqualTo("done before");
        assertThat(after.get(10, TimeUnit.SECONDS).getPayload()).isEqualTo("done after");
        assertThat(transactions.committed).hasValue(2);
        assertThat(transactions.rolledBack).hasValue(0);
    }

    @Test
    void aGroupThatCannotCommitIsHandledAgainCommandByCommand() throws Exception {
        CompletableFuture<CommandResultMessage<?>> first = send(FIRST, "first");
        assertThat(firstStarted.await(10, TimeUnit.SECONDS)).isTrue();
        transactions.failCommitOf.set(2);
        List<CompletableFuture<CommandResultMessage<?>>> group = List.of(send(UUID.randomUUID(), "a"),
                send(UUID.randomUUID(), "b"), send(UUID.randomUUID(), "c"));

        firstMayFinish.countDown();

        first.get(10, TimeUnit.SECONDS);
        assertThat(group).allSatisfy(answer -> assertThat(answer.get(10, TimeUnit.SECONDS).isExceptional()).isFalse());
        assertThat(transactions.rolledBack).as("the group").hasValue(1);
        assertThat(transactions.committed).as("the first, then a, b and c on their own").hasValue(4);
        assertThat(handled()).containsExactly("handled first", "handled a", "handled b", "handled c", "handled a",
                "handled b", "handled c");
    }

    @Test
    void aCommandWhoseGroupCannotCommitAloneIsToldWhy() throws Exception {
        transactions.failCommitOf.set(1);

        CommandResultMessage<?> answer = send(UUID.randomUUID(), "alone").get(10, TimeUnit.SECONDS);

        assertThat(answer.exceptionResult()).hasMessage("the database is gone");
    }

    @Test
    void commandsThatArrivedWhileNoTransactionCouldBeginAreToldSoAtOnce() throws Exception {
        transactions.failStartOf.set(1);
        CompletableFuture<CommandResultMessage<?>> first = send(UUID.randomUUID(), "first");
        assertThat(transactions.failingStartBegan.await(10, TimeUnit.SECONDS)).isTrue();
        List<CompletableFuture<CommandResultMessage<?>>> meanwhile = List.of(send(UUID.randomUUID(), "a"),
                send(UUID.randomUUID(), "b"));

        transactions.failingStartMayEnd.countDown();

        assertThat(first.get(10, TimeUnit.SECONDS).exceptionResult()).hasMessage("no connection");
        assertThat(meanwhile).allSatisfy(answer -> assertThat(answer.get(10, TimeUnit.SECONDS).exceptionResult())
                .hasMessage("no connection"));
        assertThat(handled()).isEmpty();
        assertThat(send(UUID.randomUUID(), "later").get(10, TimeUnit.SECONDS).getPayload()).isEqualTo("done later");
    }

    /** The database went away under the group: one wait for a transaction answers all of it. */
    @Test
    void aGroupThatCannotCommitAndThenGetsNoTransactionIsToldSoAfterOneWait() throws Exception {
        CompletableFuture<CommandResultMessage<?>> first = send(FIRST, "first");
        assertThat(firstStarted.await(10, TimeUnit.SECONDS)).isTrue();
        transactions.failCommitOf.set(2);
        transactions.failStartOf.set(3);
        transactions.failingStartMayEnd.countDown();
        List<CompletableFuture<CommandResultMessage<?>>> group = List.of(send(UUID.randomUUID(), "a"),
                send(UUID.randomUUID(), "b"), send(UUID.randomUUID(), "c"));

        firstMayFinish.countDown();

        first.get(10, TimeUnit.SECONDS);
        assertThat(group).allSatisfy(answer -> assertThat(answer.get(10, TimeUnit.SECONDS).exceptionResult())
                .hasMessage("no connection"));
        assertThat(transactions.started).as("the first, the group, then a alone").hasValue(3);
    }

    /** Its connection broke under it, say: that, not the commit it spoiled, is the answer. */
    @Test
    void aCommandThatFailedItselfIsToldItsOwnFailureWhenTheCommitFailsToo() throws Exception {
        UUID key = UUID.randomUUID();
        refused.add(key);
        transactions.failCommitOf.set(1);

        CommandResultMessage<?> answer = send(key, "alone").get(10, TimeUnit.SECONDS);

        assertThat(answer.exceptionResult()).isInstanceOf(ApiKeyNotFound.class);
    }

    /** Spring's Axon starts the bus once as a bean and once as a component. */
    @Test
    void startingTwiceStartsTheWritersOnce() throws Exception {
        List<Runnable> starts = new ArrayList<>();
        bus.registerLifecycleHandlers(new Lifecycle(starts, new ArrayList<>()));

        starts.forEach(Runnable::run);

        assertThat(send(UUID.randomUUID(), "after").get(10, TimeUnit.SECONDS).getPayload()).isEqualTo("done after");
    }

    @Test
    void twoCommandsOnOneKeyAreNeverInOneGroupAndKeepTheirOrder() throws Exception {
        CompletableFuture<CommandResultMessage<?>> first = send(FIRST, "first");
        assertThat(firstStarted.await(10, TimeUnit.SECONDS)).isTrue();
        UUID key = UUID.randomUUID();
        CompletableFuture<CommandResultMessage<?>> one = send(key, "one");
        CompletableFuture<CommandResultMessage<?>> two = send(key, "two");
        CompletableFuture<CommandResultMessage<?>> other = send(UUID.randomUUID(), "other");

        firstMayFinish.countDown();

        CompletableFuture.allOf(first, one, two, other).get(10, TimeUnit.SECONDS);
        assertThat(handled()).containsExactly("handled first", "handled one", "handled other", "handled two");
        assertThat(transactions.committed).hasValue(3);
    }

    @Test
    void eachCommandIsAnsweredOnlyOnceItsTransactionCommitted() throws Exception {
        send(UUID.randomUUID(), "only").thenRun(() -> journal.add("answered")).get(10, TimeUnit.SECONDS);

        assertThat(journal).containsExactly("handled only", "committed", "answered");
    }

    private List<String> handled() {
        return journal.stream().filter(entry -> entry.startsWith("handled")).toList();
    }

    private CompletableFuture<CommandResultMessage<?>> send(UUID key, String caller) {
        CompletableFuture<CommandResultMessage<?>> answer = new CompletableFuture<>();
        CommandMessage<ToggleApiKey> command = GenericCommandMessage.asCommandMessage(new ToggleApiKey(key, caller));
        bus.dispatch(command, (message, result) -> answer.complete(result));
        return answer;
    }

    /**
     * Counts transactions; the one numbered {@code failCommitOf} (from 1) fails to commit, the one
     * numbered {@code failStartOf} fails to begin once the test lets it.
     */
    private final class Transactions implements TransactionManager {
        final AtomicInteger started = new AtomicInteger();
        final AtomicInteger committed = new AtomicInteger();
        final AtomicInteger rolledBack = new AtomicInteger();
        final AtomicInteger failCommitOf = new AtomicInteger();
        final AtomicInteger failStartOf = new AtomicInteger();
        final CountDownLatch failingStartBegan = new CountDownLatch(1);
        final CountDownLatch failingStartMayEnd = new CountDownLatch(1);

        @Override
        public Transaction startTransaction() {
            int number = started.incrementAndGet();
            if (number == failStartOf.get()) {
                failingStartBegan.countDown();
                try {
                    failingStartMayEnd.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new IllegalStateException("no connection");
            }
            return new Transaction() {
                @Override
                public void commit() {
                    if (number == failCommitOf.get()) {
                        throw new IllegalStateException("the database is gone");
                    }
                    committed.incrementAndGet();
                    journal.add("committed");
                }

                @Override
                public void rollback() {
                    rolledBack.incrementAndGet();
                }
            };
        }
    }

    /** Collects the bus's start and shutdown handlers, as Axon's configuration would. */
    private record Lifecycle(List<Runnable> starts, List<Runnable> stops)
            implements org.axonframework.lifecycle.Lifecycle.LifecycleRegistry {

        @Override
        public void onStart(int phase, org.axonframework.lifecycle.Lifecycle.LifecycleHandler action) {
            assertThat(phase).isEqualTo(Phase.LOCAL_MESSAGE_HANDLER_REGISTRATIONS);
            starts.add(() -> action.run().join());
        }

        @Override
        public void onShutdown(int phase, org.axonframework.lifecycle.Lifecycle.LifecycleHandler action) {
            stops.add(() -> action.run().join());
        }
    }
}

package dev.apikeys.query.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.apikeys.events.ApiKeyCreated;
import dev.apikeys.events.ApiKeyDeleted;
import dev.apikeys.events.ApiKeyUsageStream;
import dev.apikeys.events.ApiKeyUsed;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventsourcing.eventstore.EventStoreException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.junit.jupiter.api.Test;

/** How the recorded uses reach the store: in bounded transactions, no use lost, no key holding up the rest. */
class UsageRecorderTest {

    private static final Instant AT = Instant.parse("2030-06-01T12:00:00Z");

    private final VerifiableKeys keys = new VerifiableKeys();
    private final EventStore store = mock(EventStore.class);
    private final List<List<UUID>> transactions = new ArrayList<>();
    private final Set<UUID> recorded = new HashSet<>();
    private Predicate<List<UUID>> refusal = batch -> false;
    private RuntimeException refusedWith;
    private final UsageRecorder recorder = new UsageRecorder(store, keys, new VerificationProperties(
            new VerificationProperties.Verify(Duration.ofSeconds(2), false),
            new VerificationProperties.Usage(Duration.ofSeconds(5))));

    UsageRecorderTest() {
        doAnswer(invocation -> {
            List<EventMessage<?>> facts = invocation.getArgument(0);
            List<UUID> batch = facts.stream().map(fact -> ((ApiKeyUsed) fact.getPayload()).keyId()).toList();
            transactions.add(batch);
            if (refusal.test(batch)) {
                throw refusedWith;
            }
            recorded.addAll(batch);
            return null;
        }).when(store).publish(anyList());
    }

    @Test
    void aTransactionRecordsAtMostAThousandKeys() {
        List<UUID> used = use(2_500);

        recorder.stop();

        assertThat(transactions).extracting(List::size).containsExactly(1_000, 1_000, 500);
        assertThat(recorded).containsExactlyInAnyOrderElementsOf(used);
    }

    @Test
    void aKeyAnotherInstanceJustRecordedWaitsAloneWhileTheOthersAreRecorded() {
        List<UUID> used = use(8);
        UUID contested = used.get(5);
        refuse(batch -> batch.contains(contested), new ConcurrencyException("another instance appended", null));

        recorder.stop();

        assertThat(recorded).containsExactlyInAnyOrderElementsOf(used.stream().filter(key -> key != contested).toList());
        assertThat(transactions).as("halved until alone: 8, then 4 and 4, 2 and 2, 1 and 1").hasSize(7)
                .contains(List.of(contested));

        refuse(batch -> false, null);
        recorder.stop();

        assertThat(recorded).containsExactlyInAnyOrderElementsOf(used);
    }

    @Test
    void whileTheStoreIsOutOfReachEveryUseWaitsAndNoBatchGrows() {
        List<UUID> used = use(1_500);
        refuse(batch -> true, new EventStoreException("connection refused", null));

        recorder.stop();
        recorder.stop();

        assertThat(transactions).as("one attempt a flush").extracting(List::size).containsExactly(1_000, 1_000);
        assertThat(recorded).isEmpty();

        refuse(batch -> false, null);
        recorder.stop();

        assertThat(transactions.subList(2, transactions.size())).extracting(List::size).containsExactly(1_000, 500);
        assertThat(recorded).containsExactlyInAnyOrderElementsOf(used);
    }

    /** Its use came before its deletion, so it is a fact of its history, appended after the stream's last. */
    @Test
    void aKeyDeletedBeforeItsUseIsRecordedIsRecordedAfterItsUsageStreamsLastFact() {
        UUID deleted = use(1).get(0);
        keys.applyInStoreOrder(new ApiKeyDeleted(deleted, "user", AT), 1);
        when(store.lastSequenceNumberFor(ApiKeyUsageStream.of(deleted))).thenReturn(Optional.of(6L));
        List<DomainEventMessage<?>> appended = new ArrayList<>();
        doAnswer(invocation -> appended.addAll(invocation.getArgument(0))).when(store).publish(anyList());

        recorder.stop();

        assertThat(keys.byId(deleted)).as("forgotten").isNull();
        assertThat(appended).singleElement().satisfies(fact -> {
            assertThat(fact.getAggregateIdentifier()).isEqualTo(ApiKeyUsageStream.of(deleted));
            assertThat(fact.getSequenceNumber()).isEqualTo(7);
            assertThat(fact.getPayload()).isEqualTo(new ApiKeyUsed(deleted, "user", AT));
        });
    }

    private void refuse(Predicate<List<UUID>> when, RuntimeException with) {
        refusal = when;
        refusedWith = with;
    }

    /** Keys in memory, each verified once. */
    private List<UUID> use(int count) {
        List<UUID> used = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            UUID keyId = UUID.randomUUID();
            keys.apply(new ApiKeyCreated(keyId, "user", null, "", "sk_abcde", "hash-" + keyId, List.of(), null,
                    AT, null), 0);
            recorder.used(keys.byId(keyId), AT, "service", null, 0);
            used.add(keyId);
        }
        return used;
    }
}

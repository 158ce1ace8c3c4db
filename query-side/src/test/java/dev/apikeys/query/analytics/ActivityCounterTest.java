package dev.apikeys.query.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

import dev.apikeys.events.ApiKeyCreated;
import dev.apikeys.events.ApiKeyDeleted;
import dev.apikeys.events.ApiKeyDisabled;
import dev.apikeys.events.ApiKeyEnabled;
import dev.apikeys.events.ApiKeyRotated;
import dev.apikeys.events.ApiKeyUsageStream;
import dev.apikeys.events.ApiKeyUsed;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ActivityCounterTest {

    private static final UUID KEY = UUID.randomUUID();
    private static final UUID NEW_KEY = UUID.randomUUID();
    private static final LocalDate DAY_1 = LocalDate.parse("2025-03-01");
    private static final LocalDate DAY_2 = LocalDate.parse("2025-03-02");
    private static final Instant LAST_MOMENT_OF_DAY_1 = Instant.parse("2025-03-01T23:59:59.999Z");
    private static final Instant FIRST_MOMENT_OF_DAY_2 = Instant.parse("2025-03-02T00:00:00Z");

    private final KeyActivityTable table = mock(KeyActivityTable.class);
    /** What each add wrote, as it was when written. */
    private final List<SortedMap<OwnerDay, DailyActivity>> written = new ArrayList<>();
    private final ActivityCounter counter = new ActivityCounter(table);

    @BeforeEach
    void recordWrites() {
        doAnswer(call -> written.add(new TreeMap<>(call.<SortedMap<OwnerDay, DailyActivity>>getArgument(0))))
                .when(table).add(any());
    }

    @Test
    void aBatchCountsEachActivityPerOwnerAndUtcDayOfTheEventsOwnTimeInOneWriteBeforeItCommits() {
        UnitOfWork<?> batch = batch();
        counter.on(created(KEY, "alice", LAST_MOMENT_OF_DAY_1), batch);
        counter.on(new ApiKeyDisabled(KEY, "alice", LAST_MOMENT_OF_DAY_1), batch);
        counter.on(new ApiKeyEnabled(KEY, "alice", FIRST_MOMENT_OF_DAY_2), batch);
        counter.on(new ApiKeyRotated(KEY, "alice", NEW_KEY, FIRST_MOMENT_OF_DAY_2, FIRST_MOMENT_OF_DAY_2), batch);
        counter.on(created(NEW_KEY, "alice", FIRST_MOMENT_OF_DAY_2), batch);
        counter.on(new ApiKeyUsed(KEY, "alice", FIRST_MOMENT_OF_DAY_2), batch);
        counter.on(new ApiKeyUsed(KEY, "alice", FIRST_MOMENT_OF_DAY_2.plusSeconds(5)), batch);
        counter.on(new ApiKeyDeleted(KEY, "alice", FIRST_MOMENT_OF_DAY_2), batch);
        counter.on(created(UUID.randomUUID(), "bob", LAST_MOMENT_OF_DAY_1), batch);

        assertThat(written).as("nothing is written before the batch commits").isEmpty();
        batch.commit();

        assertThat(written).containsExactly(new TreeMap<>(Map.of(
                new OwnerDay("alice", DAY_1), new DailyActivity(DAY_1, 1, 1, 0, 0, 0, 0),
                new OwnerDay("alice", DAY_2), new DailyActivity(DAY_2, 1, 0, 1, 1, 1, 2),
                new OwnerDay("bob", DAY_1), new DailyActivity(DAY_1, 1, 0, 0, 0, 0, 0))));
    }

    @Test
    void eachBatchWritesOnlyItsOwnCounts() {
        UnitOfWork<?> first = batch();
        counter.on(created(KEY, "alice", LAST_MOMENT_OF_DAY_1), first);
        first.commit();
        UnitOfWork<?> second = batch();
        counter.on(new ApiKeyDisabled(KEY, "alice", LAST_MOMENT_OF_DAY_1), second);
        second.commit();

        assertThat(written).containsExactly(
                new TreeMap<>(Map.of(new OwnerDay("alice", DAY_1), new DailyActivity(DAY_1, 1, 0, 0, 0, 0, 0))),
                new TreeMap<>(Map.of(new OwnerDay("alice", DAY_1), new DailyActivity(DAY_1, 0, 1, 0, 0, 0, 0))));
    }

    /**
     * The counts are written inside the batch's transaction, so a batch that rolls back wrote
     * nothing that stays, and its redelivery counts each event once.
     */
    @Test
    void aRolledBackBatchWritesNothingAndItsRedeliveryCountsOnce() {
        UnitOfWork<?> failed = batch();
        counter.on(created(KEY, "alice", LAST_MOMENT_OF_DAY_1), failed);
        counter.on(new ApiKeyUsed(KEY, "alice", LAST_MOMENT_OF_DAY_1), failed);
        failed.rollback();
        assertThat(written).isEmpty();

        UnitOfWork<?> redelivery = batch();
        counter.on(created(KEY, "alice", LAST_MOMENT_OF_DAY_1), redelivery);
        counter.on(new ApiKeyUsed(KEY, "alice", LAST_MOMENT_OF_DAY_1), redelivery);
        redelivery.commit();

        assertThat(written).containsExactly(new TreeMap<>(Map.of(
                new OwnerDay("alice", DAY_1), new DailyActivity(DAY_1, 1, 0, 0, 0, 0, 1))));
    }

    @Test
    void aResetEmptiesTheTableForTheReplayToRebuild() {
        counter.onReset();

        verify(table).deleteAll();
    }

    private static UnitOfWork<?> batch() {
        return DefaultUnitOfWork.startAndGet(new GenericDomainEventMessage<>(ApiKeyUsageStream.TYPE,
                ApiKeyUsageStream.of(KEY), 0, new ApiKeyUsed(KEY, "alice", LAST_MOMENT_OF_DAY_1)));
    }

    private static ApiKeyCreated created(UUID keyId, String userId, Instant at) {
        return new ApiKeyCreated(keyId, userId, null, "ci", "sk_abcde", "hash", List.of(), null, at, null);
    }
}

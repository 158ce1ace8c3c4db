package dev.apikeys.query.processing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikeys.events.ApiKeyDisabled;
import dev.apikeys.events.ApiKeyEnabled;
import dev.apikeys.events.ApiKeyEvent;
import dev.apikeys.events.ApiKeyUsageStream;
import dev.apikeys.events.ApiKeyUsed;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.junit.jupiter.api.Test;

class BatchProjectionTest {

    private static final UUID KEY = UUID.randomUUID();
    private static final ApiKeyEvent FIRST = new ApiKeyDisabled(KEY, "alice", Instant.EPOCH);
    private static final ApiKeyEvent SECOND = new ApiKeyEnabled(KEY, "alice", Instant.EPOCH);

    private final RecordingProjection projection = new RecordingProjection();

    @Test
    void aBatchIsAppliedOnceToTheLiveTablesWithAllItsEventsInOrderJustBeforeItCommits() {
        UnitOfWork<?> batch = batch();
        projection.on(FIRST, 0, batch);
        projection.on(SECOND, 1, batch);
        assertThat(projection.applied).as("nothing is applied before the batch commits").isEmpty();

        batch.commit();

        assertThat(projection.applied).containsExactly(
                new Applied(List.of(new SequencedEvent(FIRST, 0), new SequencedEvent(SECOND, 1)), BatchProjection.LIVE));
    }

    @Test
    void eachBatchAppliesOnlyItsOwnEvents() {
        UnitOfWork<?> first = batch();
        projection.on(FIRST, 0, first);
        first.commit();
        UnitOfWork<?> second = batch();
        projection.on(SECOND, 1, second);
        second.commit();

        assertThat(projection.applied).extracting(Applied::events).containsExactly(
                List.of(new SequencedEvent(FIRST, 0)), List.of(new SequencedEvent(SECOND, 1)));
    }

    @Test
    void aRolledBackBatchAppliesNothing() {
        UnitOfWork<?> failed = batch();
        projection.on(FIRST, 0, failed);
        failed.rollback();

        assertThat(projection.applied).isEmpty();
    }

    private static UnitOfWork<?> batch() {
        UUID key = UUID.randomUUID();
        return DefaultUnitOfWork.startAndGet(new GenericDomainEventMessage<>(ApiKeyUsageStream.TYPE,
                ApiKeyUsageStream.of(key), 0, new ApiKeyUsed(key, "alice", Instant.EPOCH)));
    }

    private record Applied(List<SequencedEvent> events, String tables) {
    }

    private static final class RecordingProjection implements BatchProjection {
        private final List<Applied> applied = new ArrayList<>();

        @Override
        public String processorName() {
            return "apikey-test";
        }

        @Override
        public List<String> tables() {
            return List.of("test");
        }

        @Override
        public void apply(List<SequencedEvent> events, String suffix) {
            applied.add(new Applied(List.copyOf(events), suffix));
        }

        @Override
        public void deleteAll(String suffix) {
            applied.clear();
        }
    }
}

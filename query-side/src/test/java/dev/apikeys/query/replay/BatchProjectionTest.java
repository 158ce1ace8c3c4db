package dev.apikeys.query.replay;

import static org.assertj.core.api.Assertions.assertThat;

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

    private final RecordingProjection projection = new RecordingProjection();

    @Test
    void aBatchIsAppliedOnceToTheLiveTablesWithAllItsEventsInOrderJustBeforeItCommits() {
        UnitOfWork<?> batch = batch();
        projection.collect("first", 0, batch);
        projection.collect("second", 1, batch);
        assertThat(projection.applied).as("nothing is applied before the batch commits").isEmpty();

        batch.commit();

        assertThat(projection.applied).containsExactly(
                new Applied(List.of(new KeyEvent("first", 0), new KeyEvent("second", 1)), ProjectionTables.LIVE));
    }

    @Test
    void eachBatchAppliesOnlyItsOwnEvents() {
        UnitOfWork<?> first = batch();
        projection.collect("first", 0, first);
        first.commit();
        UnitOfWork<?> second = batch();
        projection.collect("second", 1, second);
        second.commit();

        assertThat(projection.applied).extracting(Applied::events).containsExactly(
                List.of(new KeyEvent("first", 0)), List.of(new KeyEvent("second", 1)));
    }

    @Test
    void aRolledBackBatchAppliesNothing() {
        UnitOfWork<?> failed = batch();
        projection.collect("first", 0, failed);
        failed.rollback();

        assertThat(projection.applied).isEmpty();
    }

    private static UnitOfWork<?> batch() {
        UUID key = UUID.randomUUID();
        return DefaultUnitOfWork.startAndGet(new GenericDomainEventMessage<>(ApiKeyUsageStream.TYPE,
                ApiKeyUsageStream.of(key), 0, new ApiKeyUsed(key, "alice", Instant.EPOCH)));
    }

    private record Applied(List<KeyEvent> events, ProjectionTables tables) {
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
        public void apply(List<KeyEvent> events, ProjectionTables tables) {
            applied.add(new Applied(List.copyOf(events), tables));
        }
    }
}

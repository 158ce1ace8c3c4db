package dev.apikeys.query.processing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikeys.query.SharedPostgres;
import dev.apikeys.query.processing.EventStoreIndex.Backlog;
import dev.apikeys.query.processing.EventStoreIndex.Head;
import dev.apikeys.query.processing.EventStoreIndex.IndexedEvent;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

class EventStoreIndexTest {

    private static final UUID KEY = UUID.randomUUID();
    private static final String WITHOUT_AGGREGATE = UUID.randomUUID().toString();

    private static EmbeddedPostgres postgres;
    private static EventStoreIndex index;

    @BeforeAll
    static void storeWithAKeyItsUsageAndAnEventWithoutAggregate() throws IOException {
        postgres = EmbeddedPostgres.builder().start();
        NamedParameterJdbcTemplate jdbc = new NamedParameterJdbcTemplate(postgres.getPostgresDatabase());
        SharedPostgres.migrateEventStore(postgres.getPostgresDatabase());
        insert(jdbc, 1, UUID.randomUUID().toString(), KEY.toString(), 0, "ApiKey");
        insert(jdbc, 2, UUID.randomUUID().toString(), KEY + "/usage", 0, "ApiKeyUsage");
        insert(jdbc, 3, WITHOUT_AGGREGATE, WITHOUT_AGGREGATE, 0, null);
        insert(jdbc, 4, UUID.randomUUID().toString(), KEY.toString(), 1, "ApiKey");
        index = new EventStoreIndex(jdbc);
    }

    @AfterAll
    static void stop() throws IOException {
        postgres.close();
    }

    @Test
    void aKeysUsageIsSequencedByTheKeyAndAnEventWithoutAggregateByItsId() {
        assertThat(index.between(-1, 4, Set.of())).containsExactlyInAnyOrder(
                new IndexedEvent(1, KEY.toString()),
                new IndexedEvent(2, KEY.toString()),
                new IndexedEvent(3, WITHOUT_AGGREGATE),
                new IndexedEvent(4, KEY.toString()));
    }

    @Test
    void betweenAreTheEventsUpToTheHeadAfterThePositionOrInAGap() {
        assertThat(index.between(2, 3, List.of(1L)))
                .extracting(IndexedEvent::globalIndex)
                .containsExactlyInAnyOrder(1L, 3L);
    }

    @Test
    void theHeadIsTheHighestIndexAndOfTheIndexesAskedAboutThoseCommitted() {
        assertThat(index.head(Set.of(2L, 5L, 7L))).isEqualTo(new Head(4, Set.of(2L)));
        assertThat(index.head(Set.of())).isEqualTo(new Head(4, Set.of()));
    }

    @Test
    void theBacklogCountsTheCommittedEventsAfterAPosition() {
        assertThat(index.backlog(1)).isEqualTo(new Backlog(4, 3));
        assertThat(index.backlog(4)).isEqualTo(new Backlog(4, 0));
    }

    private static void insert(NamedParameterJdbcTemplate jdbc, long globalIndex, String eventId,
            String aggregateId, long sequence, String type) {
        jdbc.getJdbcTemplate().update("""
                insert into event_store.domain_event_entry (global_index, event_identifier, aggregate_identifier,
                       sequence_number, type, payload_type, payload, time_stamp)
                values (?, ?, ?, ?, ?, 'unused', '\\x00', '2025-01-01T10:00:00Z')
                """, globalIndex, eventId, aggregateId, sequence, type);
    }
}

package dev.apikeys.query.keys;

import static dev.apikeys.query.processing.BatchProjection.LIVE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.apikeys.events.ApiKeyCreated;
import dev.apikeys.events.ApiKeyDeleted;
import dev.apikeys.events.ApiKeyDisabled;
import dev.apikeys.events.ApiKeyEnabled;
import dev.apikeys.events.ApiKeyEvent;
import dev.apikeys.events.ApiKeyRotated;
import dev.apikeys.events.ApiKeyUsed;
import dev.apikeys.query.ReadModelDatabase;
import dev.apikeys.query.processing.SequencedEvent;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/** The read model's writes on a real PostgreSQL with the read_model migrations applied. */
class ReadModelProjectionTest {

    private static final Instant CREATED_AT = Instant.parse("2025-01-01T10:00:00Z");
    private static final Instant EXPIRES_AT = Instant.parse("2026-01-01T10:00:00Z");
    private static final String HASH = "0".repeat(64);

    private static EmbeddedPostgres postgres;
    private static JdbcTemplate jdbc;
    private static ReadModelProjection projection;

    private UUID key;

    @BeforeAll
    static void readModel() throws IOException {
        postgres = ReadModelDatabase.start();
        jdbc = new JdbcTemplate(postgres.getPostgresDatabase());
        projection = new ReadModelProjection(jdbc, new HistoryMarks(jdbc));
    }

    @AfterAll
    static void stop() throws IOException {
        postgres.close();
    }

    @BeforeEach
    void newKey() {
        key = UUID.randomUUID();
    }

    @Test
    void createdAddsTheKeyWithItsHash() {
        apply(new SequencedEvent(created(), 0));

        Map<String, Object> row = row();
        assertThat(row.get("user_id")).isEqualTo("user-1");
        assertThat(row.get("organization_id")).isEqualTo("org-1");
        assertThat(row.get("name")).isEqualTo("ci");
        assertThat(row.get("key_prefix")).isEqualTo("sk_abcde");
        assertThat(row.get("scopes").toString()).isEqualTo("[\"models:read\", \"workflows:*\"]");
        assertThat(instant(row, "expires_at")).isEqualTo(EXPIRES_AT);
        assertThat(instant(row, "created_at")).isEqualTo(CREATED_AT);
        assertThat(instant(row, "updated_at")).isEqualTo(CREATED_AT);
        assertThat(row.get("last_used_at")).isNull();
        assertThat(row.get("disabled")).isEqualTo(false);
        assertThat(row.get("deleted")).isEqualTo(false);
        assertThat(row.get("key_hash")).isEqualTo(hash());
        assertThat(row.get("last_sequence")).isEqualTo(0L);
        assertThat(row.get("usage_sequence")).isEqualTo(-1L);
    }

    @Test
    void disabledAndEnabledFlipTheFlagAndTouchUpdatedAt() {
        apply(new SequencedEvent(created(), 0));

        apply(new SequencedEvent(new ApiKeyDisabled(key, "user-1", CREATED_AT.plusSeconds(1)), 1));
        assertThat(row().get("disabled")).isEqualTo(true);
        assertThat(instant(row(), "updated_at")).isEqualTo(CREATED_AT.plusSeconds(1));

        apply(new SequencedEvent(new ApiKeyEnabled(key, "user-1", CREATED_AT.plusSeconds(2)), 2));
        assertThat(row().get("disabled")).isEqualTo(false);
        assertThat(instant(row(), "updated_at")).isEqualTo(CREATED_AT.plusSeconds(2));
    }

    @Test
    void aWholeHistoryInOneBatchLeavesTheSameRowAsEventByEvent() {
        UUID other = UUID.randomUUID();
        List<SequencedEvent> history = List.of(
                new SequencedEvent(created(), 0),
                new SequencedEvent(new ApiKeyDisabled(key, "user-1", CREATED_AT.plusSeconds(1)), 1),
                new SequencedEvent(new ApiKeyUsed(key, "user-1", CREATED_AT.plusSeconds(2)), 0),
                new SequencedEvent(new ApiKeyRotated(key, "user-1", other, CREATED_AT.plusSeconds(60), CREATED_AT.plusSeconds(3)), 2),
                new SequencedEvent(new ApiKeyEnabled(key, "user-1", CREATED_AT.plusSeconds(4)), 3));

        projection.apply(history, LIVE);
        Map<String, Object> inOneBatch = row();
        newKey();
        List<SequencedEvent> again = history.stream()
                .map(event -> new SequencedEvent(withKey(event.event()), event.sequence()))
                .toList();
        again.forEach(this::apply);

        Map<String, Object> eventByEvent = row();
        eventByEvent.put("id", inOneBatch.get("id"));
        eventByEvent.put("key_hash", inOneBatch.get("key_hash"));
        assertThat(eventByEvent).isEqualTo(inOneBatch);
        assertThat(inOneBatch.get("disabled")).isEqualTo(false);
        assertThat(instant(inOneBatch, "expires_at")).isEqualTo(CREATED_AT.plusSeconds(60));
        assertThat(instant(inOneBatch, "last_used_at")).isEqualTo(CREATED_AT.plusSeconds(2));
        assertThat(instant(inOneBatch, "updated_at")).isEqualTo(CREATED_AT.plusSeconds(4));
        assertThat(inOneBatch.get("last_sequence")).isEqualTo(3L);
        assertThat(inOneBatch.get("usage_sequence")).isEqualTo(0L);
    }

    @Test
    void deletedMarksTheKeyDeleted() {
        apply(new SequencedEvent(created(), 0));

        apply(new SequencedEvent(new ApiKeyDeleted(key, "user-1", CREATED_AT.plusSeconds(1)), 1));

        assertThat(row().get("deleted")).isEqualTo(true);
        assertThat(instant(row(), "updated_at")).isEqualTo(CREATED_AT.plusSeconds(1));
    }

    @Test
    void aRedeliveredEventIsNotAppliedTwice() {
        apply(new SequencedEvent(created(), 0));
        SequencedEvent disabled = new SequencedEvent(new ApiKeyDisabled(key, "user-1", CREATED_AT.plusSeconds(1)), 1);
        apply(disabled);
        apply(new SequencedEvent(new ApiKeyEnabled(key, "user-1", CREATED_AT.plusSeconds(2)), 2));

        projection.apply(List.of(disabled, new SequencedEvent(created(), 0)), LIVE);

        assertThat(row().get("disabled")).isEqualTo(false);
        assertThat(instant(row(), "updated_at")).isEqualTo(CREATED_AT.plusSeconds(2));
    }

    @Test
    void aRedeliveredCreationDoesNotBringADeletedKeyBack() {
        apply(new SequencedEvent(created(), 0));
        apply(new SequencedEvent(new ApiKeyDeleted(key, "user-1", CREATED_AT.plusSeconds(1)), 1));

        apply(new SequencedEvent(created(), 0));

        assertThat(row().get("deleted")).isEqualTo(true);
    }

    @Test
    void rotatedMovesTheExpiryOnce() {
        apply(new SequencedEvent(created(), 0));
        Instant rotatedAt = CREATED_AT.plusSeconds(10);

        apply(new SequencedEvent(new ApiKeyRotated(key, "user-1", UUID.randomUUID(), rotatedAt.plusSeconds(60), rotatedAt), 1));
        apply(new SequencedEvent(new ApiKeyDisabled(key, "user-1", rotatedAt.plusSeconds(1)), 2));
        apply(new SequencedEvent(new ApiKeyRotated(key, "user-1", UUID.randomUUID(), EXPIRES_AT, rotatedAt), 1));

        assertThat(instant(row(), "expires_at")).isEqualTo(rotatedAt.plusSeconds(60));
        assertThat(instant(row(), "updated_at")).isEqualTo(rotatedAt.plusSeconds(1));
    }

    @Test
    void usedSetsLastUsedAtButNeitherUpdatedAtNorTheSequence() {
        apply(new SequencedEvent(created(), 0));
        Instant usedAt = CREATED_AT.plusSeconds(30);

        apply(new SequencedEvent(new ApiKeyUsed(key, "user-1", usedAt), 7));

        assertThat(instant(row(), "last_used_at")).isEqualTo(usedAt);
        assertThat(instant(row(), "updated_at")).isEqualTo(CREATED_AT);
        // The usage stream's numbers are not the key's: the key's next event still applies.
        apply(new SequencedEvent(new ApiKeyDisabled(key, "user-1", CREATED_AT.plusSeconds(40)), 1));
        assertThat(row().get("disabled")).isEqualTo(true);
    }

    @Test
    void anEarlierOrRedeliveredUsageNeverMovesLastUsedAtBack() {
        apply(new SequencedEvent(created(), 0));
        Instant later = CREATED_AT.plusSeconds(60);

        apply(new SequencedEvent(new ApiKeyUsed(key, "user-1", later), 1));
        apply(new SequencedEvent(new ApiKeyUsed(key, "user-1", CREATED_AT.plusSeconds(30)), 0));
        apply(new SequencedEvent(new ApiKeyUsed(key, "user-1", later), 1));

        assertThat(instant(row(), "last_used_at")).isEqualTo(later);
    }

    @Test
    void theRebuildTablesAreWrittenLikeTheLiveOnes() {
        jdbc.execute("create table if not exists read_model.api_key_rebuild (like read_model.api_key including all)");

        projection.apply(List.of(new SequencedEvent(created(), 0)), "_rebuild");

        assertThat(jdbc.queryForObject("select count(*) from read_model.api_key_rebuild where id = ?", Long.class, key))
                .isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from read_model.api_key where id = ?", Long.class, key))
                .isZero();
    }

    /** A reset through Axon starts from nothing, so its replay brings back what the row had lost. */
    @Test
    void aResetEmptiesTheTableForTheReplayToRefill() {
        SequencedEvent creation = new SequencedEvent(created(), 0);
        SequencedEvent use = new SequencedEvent(new ApiKeyUsed(key, "user-1", CREATED_AT.plusSeconds(1)), 0);
        projection.apply(List.of(creation, use), LIVE);
        jdbc.update("update read_model.api_key set last_used_at = null where id = ?", key);

        projection.onReset();
        assertThat(jdbc.queryForObject("select count(*) from read_model.api_key", Integer.class)).isZero();
        projection.apply(List.of(creation, use), LIVE);

        assertThat(instant(row(), "last_used_at")).isEqualTo(CREATED_AT.plusSeconds(1));
    }

    /** Entries 1..2499 alternate between the two streams: odd ones the key's own, even ones usage facts. */
    @Test
    void everyThousandthEntryMarksWhereTheKeysTwoStreamsStandOnceForAll() {
        List<SequencedEvent> events = new ArrayList<>();
        events.add(new SequencedEvent(created(), 0));
        long lifecycle = 1;
        long usage = 0;
        for (int entry = 1; entry < 2_500; entry++) {
            Instant at = CREATED_AT.plusSeconds(entry);
            events.add(entry % 2 == 0
                    ? new SequencedEvent(new ApiKeyUsed(key, "user-1", at), usage++)
                    : new SequencedEvent(lifecycle % 2 == 1 ? new ApiKeyDisabled(key, "user-1", at)
                            : new ApiKeyEnabled(key, "user-1", at), lifecycle++));
        }

        projection.apply(events.subList(0, 1_500), LIVE);
        projection.apply(events.subList(1_000, 2_500), LIVE);

        assertThat(jdbc.queryForList("select sequence, lifecycle, usage, earliest, latest,"
                + " (state -> 'position' ->> 'lifecycle')::bigint as applied, state ->> 'keyHash' is not null as hash"
                + " from read_model.key_history_mark where key_id = ?"
                + " order by sequence", key)).containsExactly(
                Map.of("sequence", 1_000L, "lifecycle", 501L, "usage", 499L, "earliest", micros(0), "latest", micros(999),
                        "applied", 500L, "hash", false),
                Map.of("sequence", 2_000L, "lifecycle", 1_001L, "usage", 999L, "earliest", micros(1_000),
                        "latest", micros(1_999), "applied", 1_000L, "hash", false));
    }

    private static long micros(long second) {
        return CREATED_AT.plusSeconds(second).toEpochMilli() * 1_000;
    }

    private void apply(SequencedEvent event) {
        projection.apply(List.of(event), LIVE);
    }

    private Map<String, Object> row() {
        return jdbc.queryForMap("select * from read_model.api_key where id = ?", key);
    }

    private static Instant instant(Map<String, Object> row, String column) {
        return ((Timestamp) row.get(column)).toInstant();
    }

    /** Hashes are unique in the read model: each test's key has its own. */
    private String hash() {
        return HASH.substring(0, 32) + key.toString().replace("-", "");
    }

    private ApiKeyCreated created() {
        return new ApiKeyCreated(key, "user-1", "org-1", "ci", "sk_abcde", hash(),
                List.of("models:read", "workflows:*"), EXPIRES_AT, CREATED_AT, null);
    }

    private ApiKeyEvent withKey(ApiKeyEvent payload) {
        if (payload instanceof ApiKeyCreated) {
            return created();
        } else if (payload instanceof ApiKeyDisabled d) {
            return new ApiKeyDisabled(key, d.userId(), d.disabledAt());
        } else if (payload instanceof ApiKeyEnabled e) {
            return new ApiKeyEnabled(key, e.userId(), e.enabledAt());
        } else if (payload instanceof ApiKeyRotated r) {
            return new ApiKeyRotated(key, r.userId(), r.replacedBy(), r.expiresAt(), r.rotatedAt());
        } else if (payload instanceof ApiKeyUsed u) {
            return new ApiKeyUsed(key, u.userId(), u.lastUsedAt());
        }
        throw new IllegalArgumentException(payload.toString());
    }
}

package dev.apikeys.query.projection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikeys.events.ApiKeyCreated;
import dev.apikeys.events.ApiKeyDeleted;
import dev.apikeys.events.ApiKeyDisabled;
import dev.apikeys.events.ApiKeyEnabled;
import dev.apikeys.events.ApiKeyRotated;
import dev.apikeys.events.ApiKeyUsed;
import dev.apikeys.query.ReadModelDatabase;
import dev.apikeys.query.replay.KeyEvent;
import dev.apikeys.query.replay.ProjectionTables;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/** The read model's writes on a real PostgreSQL with the read_model migrations applied. */
class ReadModelWriterTest {

    private static final Instant CREATED_AT = Instant.parse("2025-01-01T10:00:00Z");
    private static final Instant EXPIRES_AT = Instant.parse("2026-01-01T10:00:00Z");
    private static final String HASH = "0".repeat(64);

    private static EmbeddedPostgres postgres;
    private static JdbcTemplate jdbc;
    private static ReadModelWriter writer;

    private UUID key;

    @BeforeAll
    static void readModel() throws IOException {
        postgres = ReadModelDatabase.start();
        jdbc = new JdbcTemplate(postgres.getPostgresDatabase());
        writer = new ReadModelWriter(jdbc);
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
    void createdAddsTheKeyAndItsLookup() {
        apply(new KeyEvent(created(), 0));

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
        Map<String, Object> lookup = lookup();
        assertThat(lookup.get("key_hash")).isEqualTo(hash());
        assertThat(lookup.get("user_id")).isEqualTo("user-1");
        assertThat(lookup.get("disabled")).isEqualTo(false);
    }

    @Test
    void disabledAndEnabledFlipTheFlagAndTouchUpdatedAt() {
        apply(new KeyEvent(created(), 0));

        apply(new KeyEvent(new ApiKeyDisabled(key, "user-1", CREATED_AT.plusSeconds(1)), 1));
        assertThat(row().get("disabled")).isEqualTo(true);
        assertThat(lookup().get("disabled")).isEqualTo(true);
        assertThat(instant(row(), "updated_at")).isEqualTo(CREATED_AT.plusSeconds(1));

        apply(new KeyEvent(new ApiKeyEnabled(key, "user-1", CREATED_AT.plusSeconds(2)), 2));
        assertThat(row().get("disabled")).isEqualTo(false);
        assertThat(lookup().get("disabled")).isEqualTo(false);
        assertThat(instant(row(), "updated_at")).isEqualTo(CREATED_AT.plusSeconds(2));
    }

    @Test
    void aWholeHistoryInOneBatchLeavesTheSameRowAsEventByEvent() {
        UUID other = UUID.randomUUID();
        List<KeyEvent> history = List.of(
                new KeyEvent(created(), 0),
                new KeyEvent(new ApiKeyDisabled(key, "user-1", CREATED_AT.plusSeconds(1)), 1),
                new KeyEvent(new ApiKeyUsed(key, "user-1", CREATED_AT.plusSeconds(2)), 0),
                new KeyEvent(new ApiKeyRotated(key, "user-1", other, CREATED_AT.plusSeconds(60), CREATED_AT.plusSeconds(3)), 2),
                new KeyEvent(new ApiKeyEnabled(key, "user-1", CREATED_AT.plusSeconds(4)), 3));

        writer.apply(history, ProjectionTables.LIVE);
        Map<String, Object> inOneBatch = row();
        Map<String, Object> lookupInOneBatch = lookup();
        newKey();
        List<KeyEvent> again = history.stream().map(event -> new KeyEvent(withKey(event.payload()), event.sequence()))
                .toList();
        again.forEach(this::apply);

        Map<String, Object> eventByEvent = row();
        eventByEvent.put("id", inOneBatch.get("id"));
        assertThat(eventByEvent).isEqualTo(inOneBatch);
        assertThat(inOneBatch.get("disabled")).isEqualTo(false);
        assertThat(instant(inOneBatch, "expires_at")).isEqualTo(CREATED_AT.plusSeconds(60));
        assertThat(instant(inOneBatch, "last_used_at")).isEqualTo(CREATED_AT.plusSeconds(2));
        assertThat(instant(inOneBatch, "updated_at")).isEqualTo(CREATED_AT.plusSeconds(4));
        assertThat(lookupInOneBatch.get("last_sequence")).isEqualTo(3L);
        assertThat(instant(lookupInOneBatch, "expires_at")).isEqualTo(CREATED_AT.plusSeconds(60));
    }

    @Test
    void deletedMarksTheKeyDeleted() {
        apply(new KeyEvent(created(), 0));

        apply(new KeyEvent(new ApiKeyDeleted(key, "user-1", CREATED_AT.plusSeconds(1)), 1));

        assertThat(row().get("deleted")).isEqualTo(true);
        assertThat(lookup().get("deleted")).isEqualTo(true);
        assertThat(instant(row(), "updated_at")).isEqualTo(CREATED_AT.plusSeconds(1));
    }

    @Test
    void aRedeliveredEventIsNotAppliedTwice() {
        apply(new KeyEvent(created(), 0));
        KeyEvent disabled = new KeyEvent(new ApiKeyDisabled(key, "user-1", CREATED_AT.plusSeconds(1)), 1);
        apply(disabled);
        apply(new KeyEvent(new ApiKeyEnabled(key, "user-1", CREATED_AT.plusSeconds(2)), 2));

        writer.apply(List.of(disabled, new KeyEvent(created(), 0)), ProjectionTables.LIVE);

        assertThat(row().get("disabled")).isEqualTo(false);
        assertThat(lookup().get("disabled")).isEqualTo(false);
        assertThat(instant(row(), "updated_at")).isEqualTo(CREATED_AT.plusSeconds(2));
    }

    @Test
    void aRedeliveredCreationDoesNotBringADeletedKeyBack() {
        apply(new KeyEvent(created(), 0));
        apply(new KeyEvent(new ApiKeyDeleted(key, "user-1", CREATED_AT.plusSeconds(1)), 1));

        apply(new KeyEvent(created(), 0));

        assertThat(row().get("deleted")).isEqualTo(true);
        assertThat(lookup().get("deleted")).isEqualTo(true);
    }

    @Test
    void rotatedMovesTheExpiryOnce() {
        apply(new KeyEvent(created(), 0));
        Instant rotatedAt = CREATED_AT.plusSeconds(10);

        apply(new KeyEvent(new ApiKeyRotated(key, "user-1", UUID.randomUUID(), rotatedAt.plusSeconds(60), rotatedAt), 1));
        apply(new KeyEvent(new ApiKeyDisabled(key, "user-1", rotatedAt.plusSeconds(1)), 2));
        apply(new KeyEvent(new ApiKeyRotated(key, "user-1", UUID.randomUUID(), EXPIRES_AT, rotatedAt), 1));

        assertThat(instant(row(), "expires_at")).isEqualTo(rotatedAt.plusSeconds(60));
        assertThat(instant(lookup(), "expires_at")).isEqualTo(rotatedAt.plusSeconds(60));
        assertThat(instant(row(), "updated_at")).isEqualTo(rotatedAt.plusSeconds(1));
    }

    @Test
    void usedSetsLastUsedAtButNeitherUpdatedAtNorTheSequence() {
        apply(new KeyEvent(created(), 0));
        Instant usedAt = CREATED_AT.plusSeconds(30);

        apply(new KeyEvent(new ApiKeyUsed(key, "user-1", usedAt), 7));

        assertThat(instant(row(), "last_used_at")).isEqualTo(usedAt);
        assertThat(instant(row(), "updated_at")).isEqualTo(CREATED_AT);
        // The usage stream's numbers are not the key's: the key's next event still applies.
        apply(new KeyEvent(new ApiKeyDisabled(key, "user-1", CREATED_AT.plusSeconds(40)), 1));
        assertThat(row().get("disabled")).isEqualTo(true);
    }

    @Test
    void anEarlierOrRedeliveredUsageNeverMovesLastUsedAtBack() {
        apply(new KeyEvent(created(), 0));
        Instant later = CREATED_AT.plusSeconds(60);

        apply(new KeyEvent(new ApiKeyUsed(key, "user-1", later), 1));
        apply(new KeyEvent(new ApiKeyUsed(key, "user-1", CREATED_AT.plusSeconds(30)), 0));
        apply(new KeyEvent(new ApiKeyUsed(key, "user-1", later), 1));

        assertThat(instant(row(), "last_used_at")).isEqualTo(later);
    }

    @Test
    void theRebuildTablesAreWrittenLikeTheLiveOnes() {
        jdbc.execute("create table if not exists read_model.api_key_rebuild (like read_model.api_key including all)");
        jdbc.execute("create table if not exists read_model.key_lookup_rebuild (like read_model.key_lookup including all)");

        writer.apply(List.of(new KeyEvent(created(), 0)), ProjectionTables.REBUILD);

        assertThat(jdbc.queryForObject("select count(*) from read_model.api_key_rebuild where id = ?", Long.class, key))
                .isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from read_model.api_key where id = ?", Long.class, key))
                .isZero();
    }

    private void apply(KeyEvent event) {
        writer.apply(List.of(event), ProjectionTables.LIVE);
    }

    private Map<String, Object> row() {
        return jdbc.queryForMap("select * from read_model.api_key where id = ?", key);
    }

    private Map<String, Object> lookup() {
        return jdbc.queryForMap("select * from read_model.key_lookup where key_id = ?", key);
    }

    private static Instant instant(Map<String, Object> row, String column) {
        return ((Timestamp) row.get(column)).toInstant();
    }

    /** Hashes are unique in the lookup table: each test's key has its own. */
    private String hash() {
        return HASH.substring(0, 32) + key.toString().replace("-", "");
    }

    private ApiKeyCreated created() {
        return new ApiKeyCreated(key, "user-1", "org-1", "ci", "sk_abcde", hash(),
                List.of("models:read", "workflows:*"), EXPIRES_AT, CREATED_AT, null);
    }

    private Object withKey(Object payload) {
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

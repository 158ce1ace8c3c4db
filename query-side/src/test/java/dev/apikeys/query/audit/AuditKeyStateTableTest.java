package dev.apikeys.query.audit;

import static dev.apikeys.query.processing.BatchProjection.LIVE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.apikeys.events.ApiKeyCreated;
import dev.apikeys.events.ApiKeyDeleted;
import dev.apikeys.events.ApiKeyDisabled;
import dev.apikeys.events.ApiKeyRotated;
import dev.apikeys.events.KeyPosition;
import dev.apikeys.events.KeyState;
import dev.apikeys.query.ReadModelDatabase;
import dev.apikeys.query.ReadModelTable;
import dev.apikeys.query.audit.AuditPublisher.AuditedKey;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/** The audit publisher's key states on a real PostgreSQL with the read_model migrations applied. */
class AuditKeyStateTableTest {

    private static final Instant EXPIRES_AT = Instant.parse("2026-01-01T10:00:00.123456Z");

    private static EmbeddedPostgres postgres;
    private static ReadModelTable<AuditedKey> table;

    @BeforeAll
    static void readModel() throws IOException {
        postgres = ReadModelDatabase.start();
        table = AuditPublisher.auditedKeys(new JdbcTemplate(postgres.getPostgresDatabase()));
    }

    @AfterAll
    static void stop() throws IOException {
        postgres.close();
    }

    @Test
    void aSavedStateLoadsAsItWasSavedNullsIncluded() {
        UUID full = UUID.randomUUID();
        UUID bare = UUID.randomUUID();
        KeyState disabled = KeyState.NONE.apply(created(full, "org-1", EXPIRES_AT), 0)
                .apply(new ApiKeyDisabled(full, "user-1", EXPIRES_AT.minusSeconds(60)), 1);
        AuditedKey withEverything = new AuditedKey(disabled, 1L);

        table.save(List.of(withEverything, new AuditedKey(KeyState.NONE.apply(created(bare, null, null), 0), null)),
                LIVE);
        Map<UUID, AuditedKey> loaded = table.load(List.of(full, bare, UUID.randomUUID()), LIVE, AuditedKey::id);

        assertThat(loaded).containsOnlyKeys(full, bare);
        KeyState first = loaded.get(full).state();
        assertThat(first.userId()).isEqualTo("user-1");
        assertThat(first.organizationId()).isEqualTo("org-1");
        assertThat(first.name()).isEqualTo("ci");
        assertThat(first.keyPrefix()).isEqualTo("sk_abcde");
        assertThat(first.scopes()).containsExactly("models:read", "workflows:*");
        assertThat(first.expiresAt()).isEqualTo(EXPIRES_AT);
        assertThat(first.disabled()).isTrue();
        assertThat(first.deleted()).isFalse();
        assertThat(first.position()).isEqualTo(new KeyPosition(1, -1));
        assertThat(first.keyHash()).as("never kept here").isNull();
        assertThat(loaded.get(full).nextSequence()).isEqualTo(1L);
        KeyState second = loaded.get(bare).state();
        assertThat(second.organizationId()).isNull();
        assertThat(second.expiresAt()).isNull();
        assertThat(loaded.get(bare).nextSequence()).as("never counted").isNull();
    }

    @Test
    void savingAgainKeepsTheLatestState() {
        UUID key = UUID.randomUUID();
        KeyState created = KeyState.NONE.apply(created(key, null, EXPIRES_AT), 0);
        table.save(List.of(new AuditedKey(created, 1L)), LIVE);
        KeyState later = created
                .apply(new ApiKeyRotated(key, "user-1", UUID.randomUUID(), EXPIRES_AT.plusSeconds(60), EXPIRES_AT), 1)
                .apply(new ApiKeyDeleted(key, "user-1", EXPIRES_AT), 2);

        table.save(List.of(new AuditedKey(later, 5L)), LIVE);

        AuditedKey loaded = table.load(List.of(key), LIVE, AuditedKey::id).get(key);
        assertThat(loaded.state().deleted()).isTrue();
        assertThat(loaded.state().expiresAt()).isEqualTo(EXPIRES_AT.plusSeconds(60));
        assertThat(loaded.nextSequence()).isEqualTo(5L);
    }

    @Test
    void deleteAllEmptiesTheTableForAReplay() {
        UUID key = UUID.randomUUID();
        table.save(List.of(new AuditedKey(KeyState.NONE.apply(created(key, null, null), 0), null)), LIVE);

        table.deleteAll(LIVE);

        assertThat(table.load(List.of(key), LIVE, AuditedKey::id)).isEmpty();
    }

    private static ApiKeyCreated created(UUID keyId, String organizationId, Instant expiresAt) {
        return new ApiKeyCreated(keyId, "user-1", organizationId, "ci", "sk_abcde", "hash",
                List.of("models:read", "workflows:*"), expiresAt, Instant.parse("2025-01-01T10:00:00Z"), null);
    }
}

package dev.apikeys.query.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikeys.events.ApiKeyCreated;
import dev.apikeys.query.ReadModelDatabase;
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
    private static AuditKeyStateTable table;

    @BeforeAll
    static void readModel() throws IOException {
        postgres = ReadModelDatabase.start();
        table = new AuditKeyStateTable(new JdbcTemplate(postgres.getPostgresDatabase()));
    }

    @AfterAll
    static void stop() throws IOException {
        postgres.close();
    }

    @Test
    void aSavedStateLoadsAsItWasSavedNullsIncluded() {
        UUID full = UUID.randomUUID();
        UUID bare = UUID.randomUUID();
        AuditKeyState withEverything = new AuditKeyState(created(full, "org-1", EXPIRES_AT));
        withEverything.countRecord(() -> 0);
        withEverything.disable();

        table.save(List.of(withEverything, new AuditKeyState(created(bare, null, null))));
        Map<UUID, AuditKeyState> loaded = table.load(List.of(full, bare, UUID.randomUUID()));

        assertThat(loaded).containsOnlyKeys(full, bare);
        AuditKeyState first = loaded.get(full);
        assertThat(first.userId()).isEqualTo("user-1");
        assertThat(first.organizationId()).isEqualTo("org-1");
        assertThat(first.name()).isEqualTo("ci");
        assertThat(first.keyPrefix()).isEqualTo("sk_abcde");
        assertThat(first.scopes()).containsExactly("models:read", "workflows:*");
        assertThat(first.expiresAt()).isEqualTo(EXPIRES_AT);
        assertThat(first.disabled()).isTrue();
        assertThat(first.deleted()).isFalse();
        assertThat(first.nextSequence()).isEqualTo(1L);
        AuditKeyState second = loaded.get(bare);
        assertThat(second.organizationId()).isNull();
        assertThat(second.expiresAt()).isNull();
        assertThat(second.nextSequence()).as("never counted").isNull();
    }

    @Test
    void savingAgainKeepsTheLatestState() {
        UUID key = UUID.randomUUID();
        AuditKeyState state = new AuditKeyState(created(key, null, EXPIRES_AT));
        table.save(List.of(state));
        state.delete();
        state.expireAt(EXPIRES_AT.plusSeconds(60));
        state.countRecord(() -> 4);

        table.save(List.of(state));

        AuditKeyState loaded = table.load(List.of(key)).get(key);
        assertThat(loaded.deleted()).isTrue();
        assertThat(loaded.expiresAt()).isEqualTo(EXPIRES_AT.plusSeconds(60));
        assertThat(loaded.nextSequence()).isEqualTo(5L);
    }

    @Test
    void deleteAllEmptiesTheTableForAReplay() {
        UUID key = UUID.randomUUID();
        table.save(List.of(new AuditKeyState(created(key, null, null))));

        table.deleteAll();

        assertThat(table.load(List.of(key))).isEmpty();
    }

    private static ApiKeyCreated created(UUID keyId, String organizationId, Instant expiresAt) {
        return new ApiKeyCreated(keyId, "user-1", organizationId, "ci", "sk_abcde", "hash",
                List.of("models:read", "workflows:*"), expiresAt, Instant.parse("2025-01-01T10:00:00Z"), null);
    }
}

package dev.apikeys.query.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.apikeys.events.ApiKeyCreated;
import dev.apikeys.events.ApiKeyDeleted;
import dev.apikeys.events.ApiKeyDisabled;
import dev.apikeys.events.ApiKeyEnabled;
import dev.apikeys.events.ApiKeyRotated;
import dev.apikeys.events.ApiKeyUsed;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ApiKeyProjectionTest {

    private static final UUID KEY = UUID.randomUUID();
    private static final Instant CREATED_AT = Instant.parse("2025-01-01T10:00:00Z");
    private static final Instant EXPIRES_AT = Instant.parse("2026-01-01T10:00:00Z");

    private final Map<UUID, ApiKeyView> rows = new HashMap<>();
    private ApiKeyProjection projection;

    @BeforeEach
    void setUp() {
        ApiKeyViews views = mock(ApiKeyViews.class);
        when(views.existsById(any())).thenAnswer(call -> rows.containsKey(call.<UUID>getArgument(0)));
        when(views.findById(any())).thenAnswer(call -> Optional.ofNullable(rows.get(call.<UUID>getArgument(0))));
        when(views.save(any())).thenAnswer(call -> {
            ApiKeyView view = call.getArgument(0);
            rows.put(view.id(), view);
            return view;
        });
        projection = new ApiKeyProjection(views);
    }

    @Test
    void createdAddsTheKey() {
        projection.on(created(), 0);

        ApiKeyView view = rows.get(KEY);
        assertThat(view.userId()).isEqualTo("user-1");
        assertThat(view.organizationId()).isEqualTo("org-1");
        assertThat(view.name()).isEqualTo("ci");
        assertThat(view.keyPrefix()).isEqualTo("sk_abcde");
        assertThat(view.scopes()).containsExactly("models:read", "workflows:*");
        assertThat(view.expiresAt()).isEqualTo(EXPIRES_AT);
        assertThat(view.createdAt()).isEqualTo(CREATED_AT);
        assertThat(view.updatedAt()).isEqualTo(CREATED_AT);
        assertThat(view.lastUsedAt()).isNull();
        assertThat(view.disabled()).isFalse();
        assertThat(view.deleted()).isFalse();
    }

    @Test
    void disabledAndEnabledFlipTheFlagAndTouchUpdatedAt() {
        projection.on(created(), 0);

        projection.on(new ApiKeyDisabled(KEY, "user-1", CREATED_AT.plusSeconds(1)), 1);
        assertThat(rows.get(KEY).disabled()).isTrue();
        assertThat(rows.get(KEY).updatedAt()).isEqualTo(CREATED_AT.plusSeconds(1));

        projection.on(new ApiKeyEnabled(KEY, "user-1", CREATED_AT.plusSeconds(2)), 2);
        assertThat(rows.get(KEY).disabled()).isFalse();
        assertThat(rows.get(KEY).updatedAt()).isEqualTo(CREATED_AT.plusSeconds(2));
    }

    @Test
    void deletedMarksTheKeyDeleted() {
        projection.on(created(), 0);

        projection.on(new ApiKeyDeleted(KEY, "user-1", CREATED_AT.plusSeconds(1)), 1);

        assertThat(rows.get(KEY).deleted()).isTrue();
        assertThat(rows.get(KEY).updatedAt()).isEqualTo(CREATED_AT.plusSeconds(1));
    }

    @Test
    void aRedeliveredEventIsNotAppliedTwice() {
        projection.on(created(), 0);
        ApiKeyDisabled disabled = new ApiKeyDisabled(KEY, "user-1", CREATED_AT.plusSeconds(1));
        projection.on(disabled, 1);
        projection.on(new ApiKeyEnabled(KEY, "user-1", CREATED_AT.plusSeconds(2)), 2);

        projection.on(disabled, 1);
        projection.on(created(), 0);

        ApiKeyView view = rows.get(KEY);
        assertThat(view.disabled()).isFalse();
        assertThat(view.updatedAt()).isEqualTo(CREATED_AT.plusSeconds(2));
    }

    @Test
    void aRedeliveredCreationDoesNotBringADeletedKeyBack() {
        projection.on(created(), 0);
        projection.on(new ApiKeyDeleted(KEY, "user-1", CREATED_AT.plusSeconds(1)), 1);

        projection.on(created(), 0);

        assertThat(rows.get(KEY).deleted()).isTrue();
    }

    @Test
    void rotatedMovesTheExpiryAndTouchesUpdatedAtOnce() {
        projection.on(created(), 0);
        Instant rotatedAt = CREATED_AT.plusSeconds(10);
        ApiKeyRotated rotated = new ApiKeyRotated(KEY, "user-1", UUID.randomUUID(), rotatedAt.plusSeconds(60),
                rotatedAt);

        projection.on(rotated, 1);
        projection.on(new ApiKeyDisabled(KEY, "user-1", rotatedAt.plusSeconds(1)), 2);
        projection.on(new ApiKeyRotated(KEY, "user-1", UUID.randomUUID(), EXPIRES_AT, rotatedAt), 1);

        ApiKeyView view = rows.get(KEY);
        assertThat(view.expiresAt()).isEqualTo(rotatedAt.plusSeconds(60));
        assertThat(view.updatedAt()).isEqualTo(rotatedAt.plusSeconds(1));
    }

    @Test
    void aKeyIssuedByRotationIsAddedLikeAnyOther() {
        UUID rotatedFrom = UUID.randomUUID();
        ApiKeyCreated created = created();

        projection.on(new ApiKeyCreated(KEY, created.userId(), created.organizationId(), created.name(),
                created.keyPrefix(), created.keyHash(), created.scopes(), created.expiresAt(), created.createdAt(),
                rotatedFrom), 0);

        ApiKeyView view = rows.get(KEY);
        assertThat(view.name()).isEqualTo("ci");
        assertThat(view.scopes()).containsExactly("models:read", "workflows:*");
        assertThat(view.expiresAt()).isEqualTo(EXPIRES_AT);
        assertThat(view.createdAt()).isEqualTo(CREATED_AT);
    }

    @Test
    void usedSetsLastUsedAtButNeitherUpdatedAtNorTheSequence() {
        projection.on(created(), 0);
        Instant usedAt = CREATED_AT.plusSeconds(30);

        projection.on(new ApiKeyUsed(KEY, "user-1", usedAt));

        ApiKeyView view = rows.get(KEY);
        assertThat(view.lastUsedAt()).isEqualTo(usedAt);
        assertThat(view.updatedAt()).isEqualTo(CREATED_AT);
        // The usage stream's numbers are not the key's: the key's next event still applies.
        projection.on(new ApiKeyDisabled(KEY, "user-1", CREATED_AT.plusSeconds(40)), 1);
        assertThat(rows.get(KEY).disabled()).isTrue();
    }

    @Test
    void anEarlierOrRedeliveredUsageNeverMovesLastUsedAtBack() {
        projection.on(created(), 0);
        Instant later = CREATED_AT.plusSeconds(60);

        projection.on(new ApiKeyUsed(KEY, "user-1", later));
        projection.on(new ApiKeyUsed(KEY, "user-1", CREATED_AT.plusSeconds(30)));
        projection.on(new ApiKeyUsed(KEY, "user-1", later));

        assertThat(rows.get(KEY).lastUsedAt()).isEqualTo(later);
    }

    private static ApiKeyCreated created() {
        return new ApiKeyCreated(KEY, "user-1", "org-1", "ci", "sk_abcde", "0".repeat(64),
                List.of("models:read", "workflows:*"), EXPIRES_AT, CREATED_AT, null);
    }
}

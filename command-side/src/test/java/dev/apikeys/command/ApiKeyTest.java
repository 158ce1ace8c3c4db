package dev.apikeys.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikeys.command.quota.KeyQuotaExceeded;
import dev.apikeys.events.ApiKeyCreated;
import dev.apikeys.events.ApiKeyDeleted;
import dev.apikeys.events.ApiKeyDisabled;
import dev.apikeys.events.ApiKeyEnabled;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ApiKeyTest {

    private static final UUID KEY_ID = UUID.fromString("6f1c1f5e-3d2a-4b7e-9a51-1c2d3e4f5a6b");
    private static final String OWNER = "alice";
    private static final String STRANGER = "mallory";
    private static final Instant CREATED_AT = Instant.parse("2025-01-01T10:00:00Z");
    private static final Instant EXPIRES_AT = Instant.parse("2025-03-01T10:00:00Z");
    private static final Instant NOW = Instant.parse("2025-01-02T12:30:00.123Z");
    private static final int MAX_KEYS = 2;

    private final ApiKeyCreated created = new ApiKeyCreated(KEY_ID, OWNER, "org-1", "ci", "sk_AbCdE",
            "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", List.of("models:read", "workflows:*"),
            EXPIRES_AT, CREATED_AT);

    private AggregateTestFixture<ApiKey> fixture;
    private InMemoryKeyQuota quota;

    @BeforeEach
    void setUp() {
        quota = new InMemoryKeyQuota(MAX_KEYS);
        fixture = new AggregateTestFixture<>(ApiKey.class);
        fixture.registerInjectableResource(quota);
        fixture.registerInjectableResource(Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Test
    void createIssuesTheKeyStampedWithTheClockAndCountsItAgainstTheQuota() {
        fixture.givenNoPriorActivity()
                .when(new CreateApiKey(KEY_ID, OWNER, "org-1", "ci", "sk_AbCdE", created.keyHash(),
                        List.of("models:read", "workflows:*"), EXPIRES_AT))
                .expectSuccessfulHandlerExecution()
                .expectEvents(new ApiKeyCreated(KEY_ID, OWNER, "org-1", "ci", "sk_AbCdE", created.keyHash(),
                        List.of("models:read", "workflows:*"), EXPIRES_AT, NOW));
        assertThat(quota.liveKeys(OWNER)).isEqualTo(1);
    }

    @Test
    void createBeyondTheQuotaIsRefusedWithoutAnEvent() {
        quota.reserve(OWNER);
        quota.reserve(OWNER);

        fixture.givenNoPriorActivity()
                .when(new CreateApiKey(KEY_ID, OWNER, null, "", "sk_AbCdE", created.keyHash(), List.of(), null))
                .expectException(KeyQuotaExceeded.class)
                .expectNoEvents();
        assertThat(quota.liveKeys(OWNER)).isEqualTo(MAX_KEYS);
    }

    @Test
    void toggleDisablesAnEnabledKeyAndAnswersItsNewState() {
        fixture.given(created)
                .when(new ToggleApiKey(KEY_ID, OWNER))
                .expectEvents(new ApiKeyDisabled(KEY_ID, OWNER, NOW))
                .expectResultMessagePayload(new ApiKeyState(KEY_ID, OWNER, "org-1", "ci", "sk_AbCdE",
                        List.of("models:read", "workflows:*"), EXPIRES_AT, CREATED_AT, NOW, true));
    }

    @Test
    void toggleEnablesADisabledKeyAndAnswersItsNewState() {
        fixture.given(created, new ApiKeyDisabled(KEY_ID, OWNER, CREATED_AT.plusSeconds(60)))
                .when(new ToggleApiKey(KEY_ID, OWNER))
                .expectEvents(new ApiKeyEnabled(KEY_ID, OWNER, NOW))
                .expectResultMessagePayload(new ApiKeyState(KEY_ID, OWNER, "org-1", "ci", "sk_AbCdE",
                        List.of("models:read", "workflows:*"), EXPIRES_AT, CREATED_AT, NOW, false));
    }

    @Test
    void onlyTheOwnerMayToggleOthersAreToldTheKeyDoesNotExist() {
        fixture.given(created)
                .when(new ToggleApiKey(KEY_ID, STRANGER))
                .expectException(ApiKeyNotFound.class)
                .expectNoEvents();
    }

    @Test
    void onlyTheOwnerMayDeleteOthersAreToldTheKeyDoesNotExist() {
        quota.reserve(OWNER);

        fixture.given(created)
                .when(new DeleteApiKey(KEY_ID, STRANGER))
                .expectException(ApiKeyNotFound.class)
                .expectNoEvents();
        assertThat(quota.liveKeys(OWNER)).isEqualTo(1);
    }

    @Test
    void deleteRecordsTheDeletionAndReleasesTheQuota() {
        quota.reserve(OWNER);
        quota.reserve(OWNER);

        fixture.given(created)
                .when(new DeleteApiKey(KEY_ID, OWNER))
                .expectSuccessfulHandlerExecution()
                .expectEvents(new ApiKeyDeleted(KEY_ID, OWNER, NOW));
        assertThat(quota.liveKeys(OWNER)).isEqualTo(MAX_KEYS - 1);
    }

    @Test
    void aDeletedKeyTakesNoToggle() {
        fixture.given(created, new ApiKeyDeleted(KEY_ID, OWNER, CREATED_AT.plusSeconds(60)))
                .when(new ToggleApiKey(KEY_ID, OWNER))
                .expectException(ApiKeyNotFound.class)
                .expectNoEvents();
    }

    @Test
    void aDeletedKeyTakesNoSecondDeleteAndReleasesNothingMore() {
        quota.reserve(OWNER);

        fixture.given(created, new ApiKeyDeleted(KEY_ID, OWNER, CREATED_AT.plusSeconds(60)))
                .when(new DeleteApiKey(KEY_ID, OWNER))
                .expectException(ApiKeyNotFound.class)
                .expectNoEvents();
        assertThat(quota.liveKeys(OWNER)).isEqualTo(1);
    }
}

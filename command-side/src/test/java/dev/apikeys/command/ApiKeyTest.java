package dev.apikeys.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.apikeys.command.quota.KeyQuotaExceeded;
import dev.apikeys.command.usage.LatestUsage;
import dev.apikeys.events.ApiKeyCreated;
import dev.apikeys.events.ApiKeyCreditsConsumed;
import dev.apikeys.events.ApiKeyDeleted;
import dev.apikeys.events.ApiKeyDisabled;
import dev.apikeys.events.ApiKeyEnabled;
import dev.apikeys.events.ApiKeyRotated;
import dev.apikeys.events.ApiKeyUpdated;
import dev.apikeys.events.ApiKeyUsageStream;
import dev.apikeys.events.ApiKeyUsed;
import dev.apikeys.events.Credits;
import dev.apikeys.events.KeyPosition;
import dev.apikeys.events.KeySettings;
import dev.apikeys.events.KeyState;
import dev.apikeys.events.RateLimit;
import dev.apikeys.events.Refill;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.hamcrest.Description;
import org.hamcrest.TypeSafeMatcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ApiKeyTest {

    private static final UUID KEY_ID = UUID.fromString("6f1c1f5e-3d2a-4b7e-9a51-1c2d3e4f5a6b");
    private static final String OWNER = "alice";
    private static final String STRANGER = "mallory";
    private static final Instant CREATED_AT = Instant.parse("2025-01-01T10:00:00Z");
    private static final Instant EXPIRES_AT = Instant.parse("2025-03-01T10:00:00Z");
    private static final Instant NOW = Instant.parse("2025-01-02T12:30:00.123Z");
    private static final int MAX_KEYS = 2;
    private static final UUID NEW_KEY_ID = UUID.fromString("0b6c9a4e-8f0d-4c61-a2b5-7e3f9d1c2a40");
    private static final Refill DAILY_100 = new Refill(100, Refill.Interval.DAILY);
    /** No refill between CREATED_AT and NOW. */
    private static final Refill MONTHLY_100 = new Refill(100, Refill.Interval.MONTHLY);
    private static final String NEW_KEY_HASH = "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752";

    private final ApiKeyCreated created = new ApiKeyCreated(KEY_ID, OWNER, "org-1", "ci", "sk_AbCdE",
            "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", List.of("models:read", "workflows:*"),
            EXPIRES_AT, CREATED_AT, null);

    /** The keys' usage streams, which the query side appends to: empty unless a test says otherwise. */
    private final EventStore usageStreams = mock(EventStore.class);
    private AggregateTestFixture<ApiKey> fixture;
    private InMemoryKeyQuota quota;

    @BeforeEach
    void setUp() {
        quota = new InMemoryKeyQuota(MAX_KEYS);
        fixture = new AggregateTestFixture<>(ApiKey.class);
        fixture.registerCommandTargetResolver(new CommandSideConfiguration().keyCommandTargetResolver());
        fixture.registerInjectableResource(quota);
        fixture.registerInjectableResource(Clock.fixed(NOW, ZoneOffset.UTC));
        fixture.registerInjectableResource(new LatestUsage(usageStreams));
    }

    @Test
    void createIssuesTheKeyStampedWithTheClockAndCountsItAgainstTheQuota() {
        fixture.givenNoPriorActivity()
                .when(new CreateApiKey(KEY_ID, OWNER, "org-1", "ci", "sk_AbCdE", created.keyHash(),
                        List.of("models:read", "workflows:*"), EXPIRES_AT, KeySettings.NONE))
                .expectSuccessfulHandlerExecution()
                .expectEvents(new ApiKeyCreated(KEY_ID, OWNER, "org-1", "ci", "sk_AbCdE", created.keyHash(),
                        List.of("models:read", "workflows:*"), EXPIRES_AT, NOW, null));
        assertThat(quota.liveKeys(OWNER)).isEqualTo(1);
    }

    @Test
    void createBeyondTheQuotaIsRefusedWithoutAnEvent() {
        quota.reserve(OWNER);
        quota.reserve(OWNER);

        fixture.givenNoPriorActivity()
                .when(new CreateApiKey(KEY_ID, OWNER, null, "", "sk_AbCdE", created.keyHash(), List.of(), null, KeySettings.NONE))
                .expectException(KeyQuotaExceeded.class)
                .expectNoEvents();
        assertThat(quota.liveKeys(OWNER)).isEqualTo(MAX_KEYS);
    }

    @Test
    void toggleDisablesAnEnabledKeyAndAnswersItsNewState() {
        fixture.given(created)
                .when(new ToggleApiKey(KEY_ID, OWNER))
                .expectEvents(new ApiKeyDisabled(KEY_ID, OWNER, NOW))
                .expectResultMessagePayload(new KeyState(KEY_ID, OWNER, "org-1", "ci", "sk_AbCdE", created.keyHash(),
                        List.of("models:read", "workflows:*"), CREATED_AT, NOW, EXPIRES_AT, EXPIRES_AT, null, true,
                        false, new KeyPosition(1, -1), KeySettings.NONE));
    }

    @Test
    void toggleEnablesADisabledKeyAndAnswersItsNewState() {
        fixture.given(created, new ApiKeyDisabled(KEY_ID, OWNER, CREATED_AT.plusSeconds(60)))
                .when(new ToggleApiKey(KEY_ID, OWNER))
                .expectEvents(new ApiKeyEnabled(KEY_ID, OWNER, NOW))
                .expectResultMessagePayload(new KeyState(KEY_ID, OWNER, "org-1", "ci", "sk_AbCdE", created.keyHash(),
                        List.of("models:read", "workflows:*"), CREATED_AT, NOW, EXPIRES_AT, EXPIRES_AT, null, false,
                        false, new KeyPosition(2, -1), KeySettings.NONE));
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

    @Test
    void anUpdateRecordsWhatChangedWithEveryMemberAsItLeavesThem() {
        KeySettings settings = new KeySettings("{\"team\":\"ci\",\"tier\":1}", List.of("10.0.0.0/8"), null, null);
        fixture.given(created("ci", settings))
                .when(new UpdateApiKey(KEY_ID, OWNER, Set.of("name", "metadata", "allowed_cidrs"), "deploys",
                        null, "{\"tier\":null,\"region\":\"eu\"}", List.of("10.0.0.0/8"), null, null))
                .expectSuccessfulHandlerExecution()
                .expectEvents(new ApiKeyUpdated(KEY_ID, OWNER, List.of("name", "metadata"), "deploys",
                        List.of("models:read", "workflows:*"),
                        new KeySettings("{\"team\":\"ci\",\"region\":\"eu\"}", List.of("10.0.0.0/8"), null, null), NOW));
    }

    @Test
    void anUpdateThatChangesNothingRecordsNothing() {
        fixture.given(created("ci", new KeySettings("{\"a\":1}", null, null, null)))
                .when(new UpdateApiKey(KEY_ID, OWNER, Set.of("name", "metadata", "allowed_cidrs"), "ci", null,
                        "{\"a\":1}", null, null, null))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void nullMembersRemoveWhatTheyName() {
        fixture.given(created("ci", new KeySettings("{\"a\":1}", List.of("10.0.0.1"), null, null)))
                .when(new UpdateApiKey(KEY_ID, OWNER, Set.of("scopes", "metadata", "allowed_cidrs"), null, List.of(),
                        "null", null, null, null))
                .expectEvents(new ApiKeyUpdated(KEY_ID, OWNER, List.of("scopes", "metadata", "allowed_cidrs"), "ci",
                        List.of(), KeySettings.NONE, NOW));
    }

    @Test
    void anUpdateLeavingMetadataOverOneKibibyteIsRefusedWithoutAnEvent() {
        String half = "x".repeat(600);
        fixture.given(created("ci", new KeySettings("{\"a\":\"" + half + "\"}", null, null, null)))
                .when(new UpdateApiKey(KEY_ID, OWNER, Set.of("metadata"), null, null, "{\"b\":\"" + half + "\"}", null, null, null))
                .expectException(MetadataTooLarge.class)
                .expectNoEvents();
    }

    @Test
    void onlyTheOwnerMayUpdateOthersAreToldTheKeyDoesNotExist() {
        fixture.given(created)
                .when(new UpdateApiKey(KEY_ID, STRANGER, Set.of("name"), "mine", null, null, null, null, null))
                .expectException(ApiKeyNotFound.class)
                .expectNoEvents();
    }

    @Test
    void aRateLimitPatchMergesIntoTheKeysAndIsRefusedWhenItWouldLackAMember() {
        KeySettings limited = new KeySettings(null, null, new RateLimit(10, 60), null);
        fixture.given(created("ci", limited))
                .when(new UpdateApiKey(KEY_ID, OWNER, Set.of("rate_limit"), null, null, null, null,
                        new RateLimitPatch(25, null), null))
                .expectEvents(new ApiKeyUpdated(KEY_ID, OWNER, List.of("rate_limit"), "ci",
                        List.of("models:read", "workflows:*"), new KeySettings(null, null, new RateLimit(25, 60), null), NOW));

        fixture.given(created("ci", KeySettings.NONE))
                .when(new UpdateApiKey(KEY_ID, OWNER, Set.of("rate_limit"), null, null, null, null,
                        new RateLimitPatch(25, null), null))
                .expectException(IncompleteSetting.class)
                .expectNoEvents();
    }

    @Test
    void creditsAreGrantedAsTheKeyIsCreated() {
        fixture.givenNoPriorActivity()
                .when(new CreateApiKey(KEY_ID, OWNER, null, "", "sk_AbCdE", created.keyHash(), List.of(), null,
                        new KeySettings(null, null, null, new Credits(5, DAILY_100, null, 5))))
                .expectEvents(new ApiKeyCreated(KEY_ID, OWNER, null, "", "sk_AbCdE", created.keyHash(), List.of(), null,
                        NOW, null, new KeySettings(null, null, null, Credits.granted(5, DAILY_100, NOW))));
    }

    @Test
    void aPatchGivingRemainingIsANewGrantAndOneGivingOnlyTheRefillKeepsTheGrant() {
        Credits granted = Credits.granted(10, null, CREATED_AT);
        fixture.given(created("ci", new KeySettings(null, null, null, granted)))
                .when(new UpdateApiKey(KEY_ID, OWNER, Set.of("credits"), null, null, null, null, null,
                        new CreditsPatch(3L, false, null)))
                .expectEvents(new ApiKeyUpdated(KEY_ID, OWNER, List.of("credits"), "ci", created.scopes(),
                        new KeySettings(null, null, null, Credits.granted(3, null, NOW)), NOW));

        fixture.given(created("ci", new KeySettings(null, null, null, granted)))
                .when(new UpdateApiKey(KEY_ID, OWNER, Set.of("credits"), null, null, null, null, null,
                        new CreditsPatch(null, true, DAILY_100)))
                .expectEvents(new ApiKeyUpdated(KEY_ID, OWNER, List.of("credits"), "ci", created.scopes(),
                        new KeySettings(null, null, null, new Credits(10, DAILY_100, CREATED_AT, 10)), NOW));

        fixture.given(created("ci", KeySettings.NONE))
                .when(new UpdateApiKey(KEY_ID, OWNER, Set.of("credits"), null, null, null, null, null,
                        new CreditsPatch(null, true, DAILY_100)))
                .expectException(IncompleteSetting.class)
                .expectNoEvents();
    }

    @Test
    void aRotationGrantsTheNewKeyWhatTheOldHasLeftAsLastRecorded() {
        Credits granted = Credits.granted(10, MONTHLY_100, CREATED_AT);
        String usage = ApiKeyUsageStream.of(KEY_ID);
        when(usageStreams.lastSequenceNumberFor(usage)).thenReturn(Optional.of(4L));
        when(usageStreams.readEvents(usage, 3L)).thenReturn(DomainEventStream.of(
                new GenericDomainEventMessage<>(ApiKeyUsageStream.TYPE, usage, 3, new ApiKeyUsed(KEY_ID, OWNER, NOW)),
                new GenericDomainEventMessage<>(ApiKeyUsageStream.TYPE, usage, 4,
                        new ApiKeyCreditsConsumed(KEY_ID, OWNER, CREATED_AT, 10, 4, 6, NOW))));

        fixture.given(new ApiKeyCreated(KEY_ID, OWNER, "org-1", "ci", "sk_AbCdE", created.keyHash(), created.scopes(),
                        null, CREATED_AT, null, new KeySettings(null, null, null, granted)))
                .when(rotate(OWNER, Duration.ZERO))
                .expectEvents(new ApiKeyRotated(KEY_ID, OWNER, NEW_KEY_ID, NOW, NOW),
                        new ApiKeyCreated(NEW_KEY_ID, OWNER, "org-1", "ci", "sk_XyZ12", NEW_KEY_HASH, created.scopes(),
                                null, NOW, KEY_ID, new KeySettings(null, null, null,
                                        Credits.granted(6, MONTHLY_100, NOW))));
    }

    @Test
    void aRotationCopiesTheKeysSettings() {
        KeySettings settings = new KeySettings("{\"team\":\"ci\"}", List.of("10.0.0.0/8"), null, null);
        fixture.given(created("ci", settings))
                .when(rotate(OWNER, Duration.ZERO))
                .expectEvents(new ApiKeyRotated(KEY_ID, OWNER, NEW_KEY_ID, NOW, NOW),
                        new ApiKeyCreated(NEW_KEY_ID, OWNER, "org-1", "ci", "sk_XyZ12", NEW_KEY_HASH,
                                List.of("models:read", "workflows:*"), EXPIRES_AT, NOW, KEY_ID, settings));
    }

    private ApiKeyCreated created(String name, KeySettings settings) {
        return new ApiKeyCreated(KEY_ID, OWNER, "org-1", name, "sk_AbCdE", created.keyHash(), created.scopes(),
                EXPIRES_AT, CREATED_AT, null, settings);
    }

    @Test
    void rotateWithoutGraceEndsTheOldKeyNowAndIssuesItsCopy() {
        fixture.given(created)
                .when(rotate(OWNER, Duration.ZERO))
                .expectSuccessfulHandlerExecution()
                .expectEvents(new ApiKeyRotated(KEY_ID, OWNER, NEW_KEY_ID, NOW, NOW),
                        new ApiKeyCreated(NEW_KEY_ID, OWNER, "org-1", "ci", "sk_XyZ12", NEW_KEY_HASH,
                                List.of("models:read", "workflows:*"), EXPIRES_AT, NOW, KEY_ID))
                .expectResultMessagePayload(new KeyState(NEW_KEY_ID, OWNER, "org-1", "ci", "sk_XyZ12", NEW_KEY_HASH,
                        List.of("models:read", "workflows:*"), NOW, NOW, EXPIRES_AT, EXPIRES_AT, null, false, false,
                        new KeyPosition(0, -1), KeySettings.NONE));
    }

    @Test
    void aGraceShorterThanTheKeysLifeEndsTheOldKeyWhenTheGraceEnds() {
        fixture.given(created)
                .when(rotate(OWNER, Duration.ofHours(1)))
                .expectEvents(new ApiKeyRotated(KEY_ID, OWNER, NEW_KEY_ID, NOW.plus(Duration.ofHours(1)), NOW),
                        new ApiKeyCreated(NEW_KEY_ID, OWNER, "org-1", "ci", "sk_XyZ12", NEW_KEY_HASH,
                                List.of("models:read", "workflows:*"), EXPIRES_AT, NOW, KEY_ID));
    }

    @Test
    void aGraceLongerThanTheKeysLifeLeavesTheOldKeysExpiry() {
        Instant soon = NOW.plus(Duration.ofMinutes(5));
        ApiKeyCreated expiringSoon = new ApiKeyCreated(KEY_ID, OWNER, null, "ci", "sk_AbCdE", created.keyHash(),
                List.of(), soon, CREATED_AT, null);

        fixture.given(expiringSoon)
                .when(rotate(OWNER, Duration.ofDays(7)))
                .expectEvents(new ApiKeyRotated(KEY_ID, OWNER, NEW_KEY_ID, soon, NOW),
                        new ApiKeyCreated(NEW_KEY_ID, OWNER, null, "ci", "sk_XyZ12", NEW_KEY_HASH, List.of(), soon,
                                NOW, KEY_ID));
    }

    @Test
    void aKeyThatNeverExpiresGetsTheGraceAsItsExpiryAndACopyThatNeverExpires() {
        ApiKeyCreated forever = new ApiKeyCreated(KEY_ID, OWNER, null, "ci", "sk_AbCdE", created.keyHash(),
                List.of("models:read"), null, CREATED_AT, null);

        fixture.given(forever)
                .when(rotate(OWNER, Duration.ofDays(7)))
                .expectEvents(new ApiKeyRotated(KEY_ID, OWNER, NEW_KEY_ID, NOW.plus(Duration.ofDays(7)), NOW),
                        new ApiKeyCreated(NEW_KEY_ID, OWNER, null, "ci", "sk_XyZ12", NEW_KEY_HASH,
                                List.of("models:read"), null, NOW, KEY_ID))
                .expectResultMessagePayload(new KeyState(NEW_KEY_ID, OWNER, null, "ci", "sk_XyZ12", NEW_KEY_HASH,
                        List.of("models:read"), NOW, NOW, null, null, null, false, false, new KeyPosition(0, -1), KeySettings.NONE));
    }

    @Test
    void rotatingAgainWithinTheGraceCopiesTheExpiryTheKeyWasIssuedWithAndNeverExtendsTheGrace() {
        Instant endOfFirstGrace = NOW.plus(Duration.ofHours(1));

        fixture.given(created, new ApiKeyRotated(KEY_ID, OWNER, UUID.randomUUID(), endOfFirstGrace, CREATED_AT))
                .when(rotate(OWNER, Duration.ofDays(1)))
                .expectEvents(new ApiKeyRotated(KEY_ID, OWNER, NEW_KEY_ID, endOfFirstGrace, NOW),
                        new ApiKeyCreated(NEW_KEY_ID, OWNER, "org-1", "ci", "sk_XyZ12", NEW_KEY_HASH,
                                List.of("models:read", "workflows:*"), EXPIRES_AT, NOW, KEY_ID));
    }

    @Test
    void rotateCountsTheNewKeyAgainstTheQuota() {
        quota.reserve(OWNER);

        fixture.given(created)
                .when(rotate(OWNER, Duration.ZERO))
                .expectSuccessfulHandlerExecution();
        assertThat(quota.liveKeys(OWNER)).isEqualTo(2);
    }

    @Test
    void rotateBeyondTheQuotaIsRefusedWithoutAnEvent() {
        quota.reserve(OWNER);
        quota.reserve(OWNER);

        fixture.given(created)
                .when(rotate(OWNER, Duration.ZERO))
                .expectException(KeyQuotaExceeded.class)
                .expectNoEvents();
        assertThat(quota.liveKeys(OWNER)).isEqualTo(MAX_KEYS);
    }

    @Test
    void onlyTheOwnerMayRotateOthersAreToldTheKeyDoesNotExist() {
        fixture.given(created)
                .when(rotate(STRANGER, Duration.ZERO))
                .expectException(ApiKeyNotFound.class)
                .expectNoEvents();
        assertThat(quota.liveKeys(STRANGER)).isZero();
    }

    @Test
    void aDeletedKeyTakesNoRotation() {
        fixture.given(created, new ApiKeyDeleted(KEY_ID, OWNER, CREATED_AT.plusSeconds(60)))
                .when(rotate(OWNER, Duration.ZERO))
                .expectException(ApiKeyNotFound.class)
                .expectNoEvents();
        assertThat(quota.liveKeys(OWNER)).isZero();
    }

    @Test
    void aDisabledKeyIsNotRotated() {
        fixture.given(created, new ApiKeyDisabled(KEY_ID, OWNER, CREATED_AT.plusSeconds(60)))
                .when(rotate(OWNER, Duration.ZERO))
                .expectException(new NotRotatable(ApiKeyNotRotatable.Reason.DISABLED))
                .expectNoEvents();
        assertThat(quota.liveKeys(OWNER)).isZero();
    }

    @ParameterizedTest
    @ValueSource(longs = {-1, 0})
    void anExpiredKeyIsNotRotatedNorOneThatExpiresThisVeryMoment(long expirySecondsFromNow) {
        fixture.given(new ApiKeyCreated(KEY_ID, OWNER, null, "ci", "sk_AbCdE", created.keyHash(), List.of(),
                        NOW.plusSeconds(expirySecondsFromNow), CREATED_AT, null))
                .when(rotate(OWNER, Duration.ofDays(1)))
                .expectException(new NotRotatable(ApiKeyNotRotatable.Reason.EXPIRED))
                .expectNoEvents();
        assertThat(quota.liveKeys(OWNER)).isZero();
    }

    @Test
    void aKeyRotatedWithoutGraceIsExpiredForTheNextRotation() {
        fixture.given(created, new ApiKeyRotated(KEY_ID, OWNER, UUID.randomUUID(), NOW, NOW))
                .when(rotate(OWNER, Duration.ZERO))
                .expectException(new NotRotatable(ApiKeyNotRotatable.Reason.EXPIRED))
                .expectNoEvents();
    }

    @Test
    void theRotateCommandNeverPrintsTheNewKeysHash() {
        assertThat(rotate(OWNER, Duration.ZERO).toString()).doesNotContain(NEW_KEY_HASH).contains("sk_XyZ12");
    }

    private static RotateApiKey rotate(String callerId, Duration grace) {
        return new RotateApiKey(KEY_ID, callerId, NEW_KEY_ID, "sk_XyZ12", NEW_KEY_HASH, grace);
    }

    /** Matches the refusal by its reason. */
    private static final class NotRotatable extends TypeSafeMatcher<ApiKeyNotRotatable> {

        private final ApiKeyNotRotatable.Reason reason;

        NotRotatable(ApiKeyNotRotatable.Reason reason) {
            this.reason = reason;
        }

        @Override
        protected boolean matchesSafely(ApiKeyNotRotatable refusal) {
            return refusal.reason() == reason;
        }

        @Override
        public void describeTo(Description description) {
            description.appendText("ApiKeyNotRotatable for reason " + reason);
        }
    }
}

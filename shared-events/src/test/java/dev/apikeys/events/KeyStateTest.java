package dev.apikeys.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class KeyStateTest {

    private static final UUID KEY = UUID.randomUUID();
    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");
    private static final ApiKeyCreated CREATED = new ApiKeyCreated(KEY, "alice", "org-1", "ci", "sk_abcde", "f00d",
            List.of("models:read"), T0.plusSeconds(3600), T0, null);

    private final KeyState created = KeyState.NONE.apply(CREATED, 0);

    @Test
    void aCreationDescribesTheWholeKey() {
        assertThat(created.exists()).isTrue();
        assertThat(created).extracting(KeyState::keyId, KeyState::userId, KeyState::organizationId, KeyState::name,
                        KeyState::keyPrefix, KeyState::keyHash, KeyState::scopes, KeyState::createdAt,
                        KeyState::updatedAt, KeyState::expiresAt, KeyState::issuedExpiresAt, KeyState::lastUsedAt,
                        KeyState::disabled, KeyState::deleted, KeyState::position)
                .containsExactly(KEY, "alice", "org-1", "ci", "sk_abcde", "f00d", List.of("models:read"), T0, T0,
                        T0.plusSeconds(3600), T0.plusSeconds(3600), null, false, false, new KeyPosition(0, -1));
    }

    @Test
    void lifecycleEventsChangeTheKeyAndWhenItLastChanged() {
        KeyState state = created
                .apply(new ApiKeyDisabled(KEY, "alice", T0.plusSeconds(1)), 1)
                .apply(new ApiKeyRotated(KEY, "alice", UUID.randomUUID(), T0.plusSeconds(60), T0.plusSeconds(2)), 2);
        assertThat(state.disabled()).isTrue();
        assertThat(state.expiresAt()).isEqualTo(T0.plusSeconds(60));
        assertThat(state.issuedExpiresAt()).as("a rotation leaves the issued expiry").isEqualTo(T0.plusSeconds(3600));
        assertThat(state.updatedAt()).isEqualTo(T0.plusSeconds(2));

        KeyState enabledAndDeleted = state.apply(new ApiKeyEnabled(KEY, "alice", T0.plusSeconds(3)), 3)
                .apply(new ApiKeyDeleted(KEY, "alice", T0.plusSeconds(4)), 4);
        assertThat(enabledAndDeleted.disabled()).isFalse();
        assertThat(enabledAndDeleted.deleted()).isTrue();
        assertThat(enabledAndDeleted.position()).isEqualTo(new KeyPosition(4, -1));
    }

    @Test
    void settingsComeWithTheCreationAndAnUpdateReplacesNameScopesAndSettingsButNothingElse() {
        KeySettings settings = new KeySettings("{\"team\":\"ci\"}", List.of("10.0.0.0/8"), null, null);
        KeyState withSettings = KeyState.NONE.apply(new ApiKeyCreated(KEY, "alice", "org-1", "ci", "sk_abcde", "f00d",
                List.of("models:read"), null, T0, null, settings), 0);
        assertThat(withSettings.settings()).isEqualTo(settings);
        assertThat(created.settings()).isEqualTo(KeySettings.NONE);

        KeyState updated = withSettings.apply(new ApiKeyUpdated(KEY, "alice", List.of("name", "metadata"), "deploys",
                List.of("models:read"), new KeySettings(null, List.of("10.0.0.0/8"), null, null), T0.plusSeconds(5)), 1);

        assertThat(updated).extracting(KeyState::name, KeyState::scopes, KeyState::settings, KeyState::updatedAt,
                        KeyState::keyHash, KeyState::createdAt, KeyState::position)
                .containsExactly("deploys", List.of("models:read"), new KeySettings(null, List.of("10.0.0.0/8"), null, null),
                        T0.plusSeconds(5), "f00d", T0, new KeyPosition(1, -1));
        assertThat(updated.apply(new ApiKeyDisabled(KEY, "alice", T0.plusSeconds(6)), 2).settings())
                .as("kept by later events").isEqualTo(updated.settings());
    }

    @Test
    void consumptionFactsLeaveWhatTheySayOfTheirGrantAndNothingOfAReplacedOne() {
        Instant grantedAt = T0;
        KeyState withCredits = KeyState.NONE.apply(new ApiKeyCreated(KEY, "alice", null, "ci", "sk_abcde", "f00d",
                List.of(), null, T0, null, new KeySettings(null, null, null, Credits.granted(100, null, grantedAt))), 0);

        KeyState consumed = withCredits.apply(new ApiKeyCreditsConsumed(KEY, "alice", grantedAt, 100, 30, 70,
                T0.plusSeconds(1)), 0);
        assertThat(consumed.settings().credits()).isEqualTo(new Credits(70, null, grantedAt, 100));

        Instant regrantedAt = T0.plusSeconds(5);
        KeyState regranted = consumed.apply(new ApiKeyUpdated(KEY, "alice", List.of("credits"), "ci", List.of(),
                new KeySettings(null, null, null, Credits.granted(10, null, regrantedAt)), regrantedAt), 1);
        assertThat(regranted.settings().credits().remaining()).isEqualTo(10);
        assertThat(regranted.apply(new ApiKeyCreditsConsumed(KEY, "alice", grantedAt, 100, 20, 50,
                T0.plusSeconds(6)), 1).settings().credits()).as("consumption of the replaced grant")
                .isEqualTo(regranted.settings().credits());
    }

    @Test
    void anUpdateOfTheRefillAloneKeepsWhatIsLeft() {
        KeyState withCredits = KeyState.NONE.apply(new ApiKeyCreated(KEY, "alice", null, "ci", "sk_abcde", "f00d",
                List.of(), null, T0, null, new KeySettings(null, null, null, Credits.granted(100, null, T0))), 0)
                .apply(new ApiKeyCreditsConsumed(KEY, "alice", T0, 100, 40, 60, T0.plusSeconds(1)), 0);
        Refill daily = new Refill(500, Refill.Interval.DAILY);

        KeyState refillSet = withCredits.apply(new ApiKeyUpdated(KEY, "alice", List.of("credits"), "ci", List.of(),
                new KeySettings(null, null, null, new Credits(100, daily, T0, 100)), T0.plusSeconds(2)), 1);

        assertThat(refillSet.settings().credits()).isEqualTo(new Credits(60, daily, T0, 100));
        assertThat(refillSet.apply(new ApiKeyUpdated(KEY, "alice", List.of("name"), "deploys", List.of(),
                new KeySettings(null, null, null, new Credits(100, daily, T0, 100)), T0.plusSeconds(3)), 2)
                .settings().credits()).as("an update of something else").isEqualTo(refillSet.settings().credits());
    }

    @Test
    void aRefillIsAGrantOfItsOwnFromItsMidnight() {
        Credits credits = new Credits(3, new Refill(50, Refill.Interval.DAILY), Instant.parse("2026-11-01T10:00:00Z"),
                10);
        assertThat(credits.at(Instant.parse("2026-11-01T23:59:59Z"))).isSameAs(credits);
        assertThat(credits.at(Instant.parse("2026-11-03T08:00:00Z"))).isEqualTo(Credits.granted(50,
                credits.refill(), Instant.parse("2026-11-03T00:00:00Z")));
        Credits monthly = new Credits(3, new Refill(50, Refill.Interval.MONTHLY), Instant.parse("2026-11-01T10:00:00Z"),
                10);
        assertThat(monthly.at(Instant.parse("2026-11-30T23:59:59Z"))).isSameAs(monthly);
        assertThat(monthly.at(Instant.parse("2026-12-01T00:00:00Z")).grantedAt())
                .isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
    }

    @Test
    void usageKeepsTheLatestUseAndIsNoChangeOfTheKey() {
        KeyState used = created.apply(new ApiKeyUsed(KEY, "alice", T0.plusSeconds(20)), 0)
                .apply(new ApiKeyUsed(KEY, "alice", T0.plusSeconds(10)), 1);
        assertThat(used.lastUsedAt()).isEqualTo(T0.plusSeconds(20));
        assertThat(used.updatedAt()).isEqualTo(T0);
        assertThat(used.position()).isEqualTo(new KeyPosition(0, 1));
    }

    @Test
    void anEventAppliedAlreadyChangesNothing() {
        KeyState disabled = created.apply(new ApiKeyDisabled(KEY, "alice", T0.plusSeconds(1)), 1);
        assertThat(disabled.apply(new ApiKeyDisabled(KEY, "alice", T0.plusSeconds(1)), 1)).isSameAs(disabled);
        assertThat(disabled.apply(new ApiKeyEnabled(KEY, "alice", T0.plusSeconds(2)), 0)).isSameAs(disabled);
        assertThat(disabled.apply(CREATED, 0)).isSameAs(disabled);
        KeyState used = disabled.apply(new ApiKeyUsed(KEY, "alice", T0.plusSeconds(5)), 0);
        assertThat(used.apply(new ApiKeyUsed(KEY, "alice", T0.plusSeconds(9)), 0)).isSameAs(used);
    }

    @Test
    void eventsOfAKeyWhoseCreationIsNotAppliedChangeNothing() {
        assertThat(KeyState.NONE.apply(new ApiKeyDisabled(KEY, "alice", T0), 1)).isSameAs(KeyState.NONE);
        assertThat(KeyState.NONE.apply(new ApiKeyUsed(KEY, "alice", T0), 0)).isSameAs(KeyState.NONE);
    }

    @Test
    void aKeyIsExpiredFromItsExpiryOn() {
        assertThat(created.isExpiredAt(T0.plusSeconds(3599))).isFalse();
        assertThat(created.isExpiredAt(T0.plusSeconds(3600))).isTrue();
        assertThat(KeyState.NONE.isExpiredAt(T0)).isFalse();
    }

    @Test
    void neverShowsTheHashWhenPrinted() {
        assertThat(created.toString()).doesNotContain("f00d");
    }
}

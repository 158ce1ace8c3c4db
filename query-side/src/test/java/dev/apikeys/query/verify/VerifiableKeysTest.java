package dev.apikeys.query.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikeys.events.ApiKeyCreated;
import dev.apikeys.events.ApiKeyDeleted;
import dev.apikeys.events.ApiKeyDisabled;
import dev.apikeys.events.ApiKeyEnabled;
import dev.apikeys.events.ApiKeyRotated;
import dev.apikeys.events.ApiKeyUsed;
import dev.apikeys.events.KeyPosition;
import dev.apikeys.events.KeySettings;
import dev.apikeys.events.KeyState;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class VerifiableKeysTest {

    private static final UUID KEY = UUID.randomUUID();
    private static final String HASH = "a".repeat(64);
    private static final Instant AT = Instant.parse("2030-01-01T00:00:00Z");

    private final VerifiableKeys keys = new VerifiableKeys();

    @Test
    void aCreatedKeyIsFoundByItsHash() {
        keys.apply(created(), 0);

        KeyState key = keys.find(HASH);

        assertThat(key.keyId()).isEqualTo(KEY);
        assertThat(key.userId()).isEqualTo("user-1");
        assertThat(key.organizationId()).isEqualTo("org-1");
        assertThat(key.scopes()).containsExactly("models:read");
        assertThat(key.disabled()).isFalse();
        assertThat(keys.find("b".repeat(64))).isNull();
    }

    @Test
    void eachEventChangesTheKeyInOrder() {
        keys.apply(created(), 0);
        keys.apply(new ApiKeyDisabled(KEY, "user-1", AT), 1);
        assertThat(keys.find(HASH).disabled()).isTrue();

        keys.apply(new ApiKeyEnabled(KEY, "user-1", AT), 2);
        assertThat(keys.find(HASH).disabled()).isFalse();

        Instant graceEnds = AT.plusSeconds(60);
        keys.apply(new ApiKeyRotated(KEY, "user-1", UUID.randomUUID(), graceEnds, AT), 3);
        assertThat(keys.find(HASH).expiresAt()).isEqualTo(graceEnds);

        keys.apply(new ApiKeyDeleted(KEY, "user-1", AT), 4);
        assertThat(keys.find(HASH).deleted()).isTrue();
        assertThat(keys.find(HASH).position().lifecycle()).isEqualTo(4);
    }

    @Test
    void anEventSeenAgainChangesNothing() {
        keys.apply(created(), 0);
        keys.apply(new ApiKeyDisabled(KEY, "user-1", AT), 1);
        keys.apply(new ApiKeyEnabled(KEY, "user-1", AT), 2);

        keys.apply(new ApiKeyDisabled(KEY, "user-1", AT), 1);

        assertThat(keys.find(HASH).disabled()).isFalse();
    }

    /** The feed replays events after a position the read model's rows may already be past. */
    @Test
    void aKeyLoadedFromTheTableIsNotTakenBackByItsOlderEventsSeenAgain() {
        keys.load(row(true, false, 1));

        keys.apply(created(), 0);

        assertThat(keys.find(HASH).disabled()).isTrue();
    }

    /** This process's own deletion may come before the store's stream brings the key's creation again. */
    @Test
    void aKeyDeletedHereStaysDeletedUntilTheStoreDeliversItsDeletion() {
        keys.apply(created(), 0);
        keys.apply(new ApiKeyDeleted(KEY, "user-1", AT), 1);

        keys.applyInStoreOrder(created(), 0);
        assertThat(keys.find(HASH).deleted()).isTrue();

        keys.applyInStoreOrder(new ApiKeyDeleted(KEY, "user-1", AT), 1);
        assertThat(keys.find(HASH)).isNull();
        assertThat(keys.byId(KEY)).isNull();
        assertThat(keys.size()).isZero();
    }

    @Test
    void aForgottenKeyStaysGoneWhenItsUsageOrItsDeletionArriveAgain() {
        keys.applyInStoreOrder(created(), 0);
        keys.applyInStoreOrder(new ApiKeyDeleted(KEY, "user-1", AT), 1);

        keys.apply(new ApiKeyDeleted(KEY, "user-1", AT), 1);
        keys.applyInStoreOrder(new ApiKeyUsed(KEY, "user-1", AT), 0);

        assertThat(keys.size()).isZero();
    }

    @Test
    void anOlderRowDoesNotReplaceANewerState() {
        keys.apply(created(), 0);
        keys.apply(new ApiKeyDisabled(KEY, "user-1", AT), 1);

        keys.load(row(false, false, 0));

        assertThat(keys.find(HASH).disabled()).isTrue();
    }

    @Test
    void theHashNeverShowsInToString() {
        keys.apply(created(), 0);

        assertThat(keys.find(HASH).toString()).doesNotContain(HASH);
    }

    @Test
    void whatVerificationDoesNotNeedIsNotKept() {
        keys.apply(created(), 0);

        assertThat(keys.find(HASH)).extracting(KeyState::name, KeyState::keyPrefix, KeyState::createdAt)
                .containsOnlyNulls();
        assertThat(keys.byId(KEY)).isSameAs(keys.find(HASH));
    }

    /** A key as the read model holds it. */
    private static KeyState row(boolean disabled, boolean deleted, long sequence) {
        return new KeyState(KEY, "user-1", "org-1", "ci", "sk_abcde", HASH, List.of("models:read"), AT, AT, null, null,
                null, disabled, deleted, new KeyPosition(sequence, -1), KeySettings.NONE);
    }

    private static ApiKeyCreated created() {
        return new ApiKeyCreated(KEY, "user-1", "org-1", "ci", "sk_abcde", HASH, List.of("models:read"), null, AT,
                null);
    }
}

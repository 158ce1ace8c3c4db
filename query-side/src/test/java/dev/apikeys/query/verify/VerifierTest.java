package dev.apikeys.query.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.apikeys.events.KeyPosition;
import dev.apikeys.events.KeySettings;
import dev.apikeys.events.KeyState;
import dev.apikeys.query.processing.CatchUp;
import dev.apikeys.query.processing.EventStoreIndex;
import dev.apikeys.query.processing.StoreHead;
import dev.apikeys.runtime.key.ApiKeyFormat;
import dev.apikeys.runtime.network.IpAddresses;
import dev.apikeys.runtime.problem.ProblemException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class VerifierTest {

    private static final Instant NOW = Instant.parse("2030-06-01T12:00:00Z");
    private static final String KEY = "sk_abcdefghijklmnopqrstuvwxyzABCDEF1rJNtw";

    private final VerifiableKeys keys = new VerifiableKeys();
    private final AtomicBoolean storeReachable = new AtomicBoolean(true);
    private final VerificationProperties properties = new VerificationProperties(
            new VerificationProperties.Verify(Duration.ofMillis(100), false),
            new VerificationProperties.Usage(Duration.ofSeconds(5)));
    private final Freshness freshness = new Freshness(new CatchUp(new StoreHead(gaps -> {
        if (!storeReachable.get()) {
            throw new IllegalStateException("connection refused");
        }
        return new EventStoreIndex.Head(-1, Set.of());
    }), (after, head, gaps) -> List.of(), () -> { }), new VerifiableKeysFeed(null, null, null, null, keys), properties);
    /** No key here has a rate limit: RateLimiterTest and the HTTP tests take those. */
    private final Verifier verifier = new Verifier(keys, freshness, new UsageRecorder(null, keys, properties),
            new RateLimiter(null, Clock.fixed(NOW, ZoneOffset.UTC)), new CreditMeter(null, Clock.fixed(NOW, ZoneOffset.UTC)),
            Clock.fixed(NOW, ZoneOffset.UTC), properties);

    @Test
    void whatIsNotAKeyIsMalformedWithoutWaitingForAnything() {
        storeReachable.set(false);

        Verification verification = verifier.verify("sk_abcdefghijklmnopqrstuvwxyzABCDEF1rJNtx", List.of(), null, 1, "gateway");

        assertThat(verification).isEqualTo(Verification.notFound(Verification.Code.MALFORMED));
    }

    @Test
    void aWellFormedKeyNobodyHoldsIsNotFound() {
        assertThat(verifier.verify(KEY, List.of(), null, 1, "gateway").code()).isEqualTo(Verification.Code.NOT_FOUND);
    }

    @Test
    void aLiveKeyWithTheScopesIsValidAndDescribed() {
        KeyState key = key(false, false, null, List.of("models:*"));
        keys.load(key);

        Verification verification = verifier.verify(KEY, List.of("models:read"), null, 1, "gateway");

        assertThat(verification).isEqualTo(new Verification.OfKey(true, Verification.Code.VALID, key.keyId(), "user-1",
                null, List.of("models:*"), null, null, null, null));
    }

    @Test
    void aDeletedKeyIsNotFound() {
        keys.load(key(false, true, null, List.of()));

        assertThat(verifier.verify(KEY, List.of(), null, 1, "gateway")).isEqualTo(Verification.notFound(Verification.Code.NOT_FOUND));
    }

    @Test
    void aDisabledKeyIsDisabled() {
        keys.load(key(true, false, null, List.of()));

        Verification verification = verifier.verify(KEY, List.of(), null, 1, "gateway");

        assertThat(verification.code()).isEqualTo(Verification.Code.DISABLED);
        assertThat(verification.valid()).isFalse();
    }

    @Test
    void aKeyExpiresAtItsExpiryInstant() {
        keys.load(key(false, false, NOW.plusMillis(1), List.of()));
        assertThat(verifier.verify(KEY, List.of(), null, 1, "gateway").code()).isEqualTo(Verification.Code.VALID);

        keys.load(key(false, false, NOW, List.of(), 1));
        assertThat(verifier.verify(KEY, List.of(), null, 1, "gateway").code()).isEqualTo(Verification.Code.EXPIRED);
    }

    @Test
    void missingScopesAreInsufficient() {
        keys.load(key(false, false, null, List.of("models:read")));

        assertThat(verifier.verify(KEY, List.of("models:write"), null, 1, "gateway").code())
                .isEqualTo(Verification.Code.INSUFFICIENT_SCOPES);
    }

    @Test
    void aKeyWithAllowedCidrsIsValidOnlyFromThemAndItsNetworkIsJudgedAfterExpiryBeforeScopes() {
        KeyState restricted = withSettings(key(false, false, null, List.of("models:read")),
                new KeySettings("{\"team\":\"ci\"}", List.of("10.0.0.0/8", "2001:db8::/32"), null, null));
        keys.load(restricted);

        assertThat(verifier.verify(KEY, List.of(), IpAddresses.parse("10.1.2.3"), 1, "gateway"))
                .isEqualTo(new Verification.OfKey(true, Verification.Code.VALID, restricted.keyId(), "user-1", null,
                        List.of("models:read"), null, "{\"team\":\"ci\"}", null, null));
        assertThat(verifier.verify(KEY, List.of(), IpAddresses.parse("2001:db8::7"), 1, "gateway").code())
                .isEqualTo(Verification.Code.VALID);
        assertThat(verifier.verify(KEY, List.of(), IpAddresses.parse("192.168.0.1"), 1, "gateway").code())
                .isEqualTo(Verification.Code.IP_NOT_ALLOWED);
        assertThat(verifier.verify(KEY, List.of(), null, 1, "gateway").code()).as("no client_ip")
                .isEqualTo(Verification.Code.IP_NOT_ALLOWED);
        assertThat(verifier.verify(KEY, List.of("models:write"), IpAddresses.parse("192.168.0.1"), 1, "gateway").code())
                .as("before scopes").isEqualTo(Verification.Code.IP_NOT_ALLOWED);

        keys.load(withSettings(key(false, false, NOW, List.of(), 1), restricted.settings()));
        assertThat(verifier.verify(KEY, List.of(), IpAddresses.parse("192.168.0.1"), 1, "gateway").code())
                .as("after expiry").isEqualTo(Verification.Code.EXPIRED);
    }

    @Test
    void anEmptyListOfCidrsAdmitsNoOne() {
        keys.load(withSettings(key(false, false, null, List.of()), new KeySettings(null, List.of(), null, null)));

        assertThat(verifier.verify(KEY, List.of(), IpAddresses.parse("10.1.2.3"), 1, "gateway").code())
                .isEqualTo(Verification.Code.IP_NOT_ALLOWED);
    }

    @Test
    void withoutReachingTheStoreAKeyIsNotJudged() {
        keys.load(key(true, false, null, List.of()));
        storeReachable.set(false);

        assertThatThrownBy(() -> verifier.verify(KEY, List.of(), null, 1, "gateway"))
                .isInstanceOfSatisfying(ProblemException.class, unavailable -> assertThat(unavailable.getBody()
                        .getType()).hasToString("/problems/verification-unavailable"));
    }

    private static KeyState withSettings(KeyState key, KeySettings settings) {
        return new KeyState(key.keyId(), key.userId(), key.organizationId(), key.name(), key.keyPrefix(),
                key.keyHash(), key.scopes(), key.createdAt(), key.updatedAt(), key.expiresAt(), key.issuedExpiresAt(),
                key.lastUsedAt(), key.disabled(), key.deleted(), key.position(), settings);
    }

    private static KeyState key(boolean disabled, boolean deleted, Instant expiresAt, List<String> scopes) {
        return key(disabled, deleted, expiresAt, scopes, 0);
    }

    private static KeyState key(boolean disabled, boolean deleted, Instant expiresAt, List<String> scopes,
            long sequence) {
        return new KeyState(UUID.fromString("00000000-0000-0000-0000-000000000001"), "user-1", null, "ci",
                "sk_abcde", ApiKeyFormat.sha256Hex(KEY), scopes, NOW, NOW, expiresAt, expiresAt, null, disabled,
                deleted, new KeyPosition(sequence, -1), KeySettings.NONE);
    }
}

package dev.apikeys.runtime.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;

class CachingJwtDecoderTest {

    private static final Instant NOW = Instant.parse("2026-01-01T10:00:00Z");

    private final List<String> decoded = new ArrayList<>();
    private Instant now = NOW;
    private final Clock clock = new Clock() {
        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    };

    @Test
    void aTokenItAcceptedIsNotDecodedAgainUntilItExpires() {
        CachingJwtDecoder decoder = new CachingJwtDecoder(accepting(NOW.plusSeconds(60)), clock);

        Jwt first = decoder.decode("token-a");
        Jwt second = decoder.decode("token-a");
        now = NOW.plusSeconds(59);
        decoder.decode("token-a");

        assertThat(second).isSameAs(first);
        assertThat(decoded).containsExactly("token-a");
    }

    @Test
    void atItsExpiryATokenIsDecodedAgainAndSoRefusedAsTheDecoderDecides() {
        CachingJwtDecoder decoder = new CachingJwtDecoder(expiringAt(NOW.plusSeconds(60)), clock);
        decoder.decode("token-a");

        now = NOW.plusSeconds(60);

        assertThatThrownBy(() -> decoder.decode("token-a")).isInstanceOf(BadJwtException.class);
        assertThat(decoded).containsExactly("token-a", "token-a");
    }

    @Test
    void aRefusedTokenIsAskedAboutEveryTime() {
        CachingJwtDecoder decoder = new CachingJwtDecoder(token -> {
            decoded.add(token);
            throw new BadJwtException("bad signature");
        }, clock);

        assertThatThrownBy(() -> decoder.decode("forged")).isInstanceOf(BadJwtException.class);
        assertThatThrownBy(() -> decoder.decode("forged")).isInstanceOf(BadJwtException.class);

        assertThat(decoded).containsExactly("forged", "forged");
    }

    @Test
    void differentTokensAreDecodedEachAndTheMemoryIsBounded() {
        CachingJwtDecoder decoder = new CachingJwtDecoder(accepting(NOW.plus(Duration.ofHours(1))), clock);
        for (int i = 0; i <= CachingJwtDecoder.MAX_TOKENS; i++) {
            decoder.decode("token-" + i);
        }

        decoder.decode("token-0");

        assertThat(decoded).hasSize(CachingJwtDecoder.MAX_TOKENS + 2);
    }

    @Test
    void theMemoryIsBoundedByTheTokensLengthToo() {
        CachingJwtDecoder decoder = new CachingJwtDecoder(accepting(NOW.plus(Duration.ofHours(1))), clock);
        int length = CachingJwtDecoder.MAX_CHARS / 4;
        for (int i = 0; i < 4; i++) {
            decoder.decode(String.valueOf(i).repeat(length));
        }
        decoder.decode("0".repeat(length));
        assertThat(decoded).as("four fill it to its bound").hasSize(4);

        decoder.decode("4".repeat(length));
        decoder.decode("0".repeat(length));

        assertThat(decoded).as("the fifth made room").hasSize(6);
    }

    /** Seen with a clock set back: kept, it would be answered from memory. */
    @Test
    void anExpiredTokenIsForgotten() {
        CachingJwtDecoder decoder = new CachingJwtDecoder(expiringAt(NOW.plusSeconds(60)), clock);
        decoder.decode("token-a");
        now = NOW.plusSeconds(60);
        assertThatThrownBy(() -> decoder.decode("token-a")).isInstanceOf(BadJwtException.class);

        now = NOW;
        decoder.decode("token-a");

        assertThat(decoded).containsExactly("token-a", "token-a", "token-a");
    }

    /** A decoder that accepts tokens until they expire, by the test's clock. */
    private JwtDecoder expiringAt(Instant expiresAt) {
        return token -> {
            decoded.add(token);
            if (!now.isBefore(expiresAt)) {
                throw new BadJwtException("expired");
            }
            return jwt(expiresAt);
        };
    }

    private JwtDecoder accepting(Instant expiresAt) {
        return token -> {
            decoded.add(token);
            return jwt(expiresAt);
        };
    }

    private static Jwt jwt(Instant expiresAt) {
        return Jwt.withTokenValue("t").header("alg", "HS256").subject("alice").issuedAt(NOW).expiresAt(expiresAt)
                .build();
    }
}

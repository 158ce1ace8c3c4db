package dev.apikeys.runtime.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;

class ExactFormJwtDecoderTest {

    private final List<String> passedOn = new ArrayList<>();
    private final ExactFormJwtDecoder decoder = new ExactFormJwtDecoder(token -> {
        passedOn.add(token);
        return Jwt.withTokenValue(token).header("alg", "HS256").subject("alice").build();
    });

    @ParameterizedTest
    @ValueSource(strings = {"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1In0.c2ln", "AA.AAA.AAAA", "-w._g.QUE"})
    void aCanonicalCompactTokenIsPassedOn(String token) {
        decoder.decode(token);

        assertThat(passedOn).containsExactly(token);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "AA.AAA", "AA.AAA.AAAA.AA", "AA..AAAA", ".AAA.AAAA", "AA.AAA.", // three non-empty parts
            "AA==.AAA.AAAA", "AA.AAA=.AAAA", // padding
            "A+.AAA.AAAA", "A/.AAA.AAAA", "A~.AAA.AAAA", "A A.AAA.AAAA", "Aé.AAA.AAAA", // not base64url
            "AAAAA.AAA.AAAA", // a length no encoding has
            "AB.AAA.AAAA", "AA.AAB.AAAA", // unused bits set: "AB" decodes as "AA" does
    })
    void anyOtherFormIsRefusedBeforeDecoding(String token) {
        assertThatThrownBy(() -> decoder.decode(token)).isInstanceOf(BadJwtException.class);

        assertThat(passedOn).isEmpty();
    }

    @Test
    void everyLastCharacterWithItsUnusedBitsClearIsCanonical() {
        assertThat(ExactFormJwtDecoder.isExactCompactForm("AQ.AAA.AAAA")).isTrue();
        assertThat(ExactFormJwtDecoder.isExactCompactForm("AR.AAA.AAAA")).isFalse();
        assertThat(ExactFormJwtDecoder.isExactCompactForm("AA.AAE.AAAA")).isTrue();
        assertThat(ExactFormJwtDecoder.isExactCompactForm("AA.AAF.AAAA")).isFalse();
    }
}

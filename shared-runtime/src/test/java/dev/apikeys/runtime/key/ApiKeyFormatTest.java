package dev.apikeys.runtime.key;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ApiKeyFormatTest {

    /** A key whose checksum was computed outside Java (Python's zlib.crc32, own base62). */
    private static final String WELL_FORMED = "sk_00000000000000000000000000000000" + "30OBQY";

    // Vectors computed outside Java: Python's zlib.crc32 and its own base62 conversion.
    @Test
    void checksumIsCrc32InBase62MostSignificantDigitFirst() {
        assertThat(ApiKeyFormat.checksum("sk_00000000000000000000000000000000")).isEqualTo("30OBQY");
        assertThat(ApiKeyFormat.checksum("sk_abcdefghijklmnopqrstuvwxyzABCDEF")).isEqualTo("1rJNtw");
        assertThat(ApiKeyFormat.checksum("sk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")).isEqualTo("36vPTI");
    }

    @Test
    void base62IsLeftPaddedWithZeros() {
        assertThat(ApiKeyFormat.base62(0, 6)).isEqualTo("000000");
        assertThat(ApiKeyFormat.base62(61, 6)).isEqualTo("00000z");
        assertThat(ApiKeyFormat.base62(62, 6)).isEqualTo("000010");
        assertThat(ApiKeyFormat.base62(3843, 6)).isEqualTo("0000zz");
        assertThat(ApiKeyFormat.base62(4_294_967_295L, 6)).isEqualTo("4gfFC3");
    }

    @Test
    void hashIsTheSha256HexOfTheWholeKey() {
        // SHA-256("sk_test") from sha256sum.
        assertThat(ApiKeyFormat.sha256Hex("sk_test"))
                .isEqualTo("12b2820cf1639904311da5771de1e5bb65c77073fdc7c555df395942df42896b");
    }

    @Test
    void aKeyWithItsChecksumIsWellFormed() {
        assertThat(ApiKeyFormat.isWellFormed(WELL_FORMED)).isTrue();
        assertThat(ApiKeyFormat.isWellFormed("sk_abcdefghijklmnopqrstuvwxyzABCDEF1rJNtw")).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "sk_",
            "sk_00000000000000000000000000000000",
            // one character of the random part changed: the checksum no longer matches
            "sk_00000000000000000000000000000001" + "30OBQY",
            // checksum changed
            "sk_00000000000000000000000000000000" + "30OBQZ",
            // right length, wrong prefix
            "pk_00000000000000000000000000000000" + "30OBQY",
            "SK_00000000000000000000000000000000" + "30OBQY",
            // one character too many or too few
            "sk_00000000000000000000000000000000" + "30OBQY0",
            "sk_0000000000000000000000000000000" + "30OBQY",
            // outside the alphabet
            "sk_0000000000000000000000000000000-" + "30OBQY",
            "sk_000000000000000000000000000000\u00e9" + "30OBQY",
            "sk_0000000000000000000000000000000 " + "30OBQY",
            " sk_00000000000000000000000000000000" + "30OBQY",
            "sk_00000000000000000000000000000000" + "30OBQY\n",
            "sk_00000000000000000000000000000000" + "30OBQ\u0000"})
    void anythingElseIsNot(String candidate) {
        assertThat(ApiKeyFormat.isWellFormed(candidate)).isFalse();
    }

    @Test
    void evenAVeryLongStringIsJustNotAKey() {
        assertThat(ApiKeyFormat.isWellFormed("sk_" + "a".repeat(1_000_000))).isFalse();
    }
}

package dev.apikeys.command.key;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiKeyGeneratorTest {

    private final ApiKeyGenerator generator = new ApiKeyGenerator();

    @Test
    void keysAreSkThen32Base62ThenTheirChecksum() {
        NewApiKey key = generator.generate();

        assertThat(key.plaintext()).hasSize(41).matches("sk_[0-9A-Za-z]{38}");
        assertThat(key.plaintext().substring(35)).isEqualTo(ApiKeyGenerator.checksum(key.plaintext().substring(0, 35)));
    }

    // Vectors computed outside Java: Python's zlib.crc32 and its own base62 conversion.
    @Test
    void checksumIsCrc32InBase62MostSignificantDigitFirst() {
        assertThat(ApiKeyGenerator.checksum("sk_00000000000000000000000000000000")).isEqualTo("30OBQY");
        assertThat(ApiKeyGenerator.checksum("sk_abcdefghijklmnopqrstuvwxyzABCDEF")).isEqualTo("1rJNtw");
        assertThat(ApiKeyGenerator.checksum("sk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")).isEqualTo("36vPTI");
    }

    @Test
    void base62IsLeftPaddedWithZeros() {
        assertThat(ApiKeyGenerator.base62(0, 6)).isEqualTo("000000");
        assertThat(ApiKeyGenerator.base62(61, 6)).isEqualTo("00000z");
        assertThat(ApiKeyGenerator.base62(62, 6)).isEqualTo("000010");
        assertThat(ApiKeyGenerator.base62(3843, 6)).isEqualTo("0000zz");
        assertThat(ApiKeyGenerator.base62(4_294_967_295L, 6)).isEqualTo("4gfFC3");
    }

    @Test
    void prefixIsTheFirstEightCharacters() {
        NewApiKey key = generator.generate();

        assertThat(key.prefix()).isEqualTo(key.plaintext().substring(0, 8)).startsWith("sk_");
    }

    @Test
    void hashIsTheSha256HexOfTheWholeKey() {
        // SHA-256("sk_test") from sha256sum.
        assertThat(ApiKeyGenerator.sha256Hex("sk_test"))
                .isEqualTo("12b2820cf1639904311da5771de1e5bb65c77073fdc7c555df395942df42896b");
        NewApiKey key = generator.generate();
        assertThat(key.sha256Hex()).isEqualTo(ApiKeyGenerator.sha256Hex(key.plaintext())).matches("[0-9a-f]{64}");
    }

    @Test
    void keysDoNotRepeatAndNeverShowInToString() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            NewApiKey key = generator.generate();
            assertThat(seen.add(key.plaintext())).isTrue();
            assertThat(key.toString()).doesNotContain(key.plaintext()).doesNotContain(key.sha256Hex());
        }
    }
}

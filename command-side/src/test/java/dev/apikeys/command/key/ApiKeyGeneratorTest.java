package dev.apikeys.command.key;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikeys.runtime.key.ApiKeyFormat;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiKeyGeneratorTest {

    private final ApiKeyGenerator generator = new ApiKeyGenerator();

    @Test
    void keysAreSkThen32Base62ThenTheirChecksum() {
        NewApiKey key = generator.generate();

        assertThat(key.plaintext()).hasSize(41).matches("sk_[0-9A-Za-z]{38}");
        assertThat(key.plaintext().substring(35)).isEqualTo(ApiKeyFormat.checksum(key.plaintext().substring(0, 35)));
        assertThat(ApiKeyFormat.isWellFormed(key.plaintext())).isTrue();
    }

    @Test
    void prefixIsTheFirstEightCharacters() {
        NewApiKey key = generator.generate();

        assertThat(key.prefix()).isEqualTo(key.plaintext().substring(0, 8)).startsWith("sk_");
    }

    @Test
    void hashIsTheSha256HexOfTheWholeKey() {
        NewApiKey key = generator.generate();

        assertThat(key.sha256Hex()).isEqualTo(ApiKeyFormat.sha256Hex(key.plaintext())).matches("[0-9a-f]{64}");
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

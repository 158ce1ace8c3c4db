package dev.apikeys.standalone.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretFileTest {

    @TempDir
    Path dataDirectory;

    @Test
    void makesA48ByteSecretOnlyItsOwnerCanRead() throws Exception {
        Path file = dataDirectory.resolve("not-yet-there").resolve("hmac-secret");

        String secret = new SecretFile(file).readOrCreate();

        assertThat(Base64.getUrlDecoder().decode(secret)).hasSize(48);
        assertThat(Files.readString(file, StandardCharsets.UTF_8).strip()).isEqualTo(secret);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        try (var leftovers = Files.list(file.getParent())) {
            assertThat(leftovers).containsExactly(file);
        }
    }

    @Test
    void keepsTheSecretItMadeOnce() {
        Path file = dataDirectory.resolve("hmac-secret");
        String first = new SecretFile(file).readOrCreate();

        assertThat(new SecretFile(file).readOrCreate()).isEqualTo(first);
        assertThat(new SecretFile(dataDirectory.resolve("other")).readOrCreate()).isNotEqualTo(first);
    }

    @Test
    void usesASecretSomeoneElsePutThere() throws Exception {
        Path file = dataDirectory.resolve("hmac-secret");
        Files.writeString(file, "an-operator-chose-this-secret-of-40-bytes\n");

        assertThat(new SecretFile(file).readOrCreate()).isEqualTo("an-operator-chose-this-secret-of-40-bytes");
    }
}

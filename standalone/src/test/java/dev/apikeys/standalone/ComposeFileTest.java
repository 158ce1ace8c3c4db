package dev.apikeys.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The split deployment never signs tokens with a secret anyone could know: docker-compose.yml
 * takes the secret from APIKEYS_HMAC_SECRET with Compose's {@code :?} form, which refuses to start
 * when it is unset or empty, and gives no default.
 */
class ComposeFileTest {

    private static final Pattern INTERPOLATION = Pattern.compile("\\$\\{APIKEYS_HMAC_SECRET([^}]*)}");

    @Test
    void theSigningSecretHasNoDefaultAndIsRequired() throws Exception {
        String compose = Files.readString(Path.of("..", "docker-compose.yml"));
        Matcher uses = INTERPOLATION.matcher(compose);
        List<String> forms = uses.results().map(use -> use.group(1)).toList();

        assertThat(forms).isNotEmpty().allSatisfy(form -> assertThat(form).startsWith(":?").hasSizeGreaterThan(2));
        assertThat(compose).contains("APIKEYS_SECURITY_HMAC_SECRET: ${APIKEYS_HMAC_SECRET:?")
                .doesNotContain("APIKEYS_SECURITY_HMAC_SECRET=");
    }
}

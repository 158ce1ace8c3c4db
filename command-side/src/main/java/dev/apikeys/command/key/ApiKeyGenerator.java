package dev.apikeys.command.key;

import static dev.apikeys.runtime.key.ApiKeyFormat.BASE62;

import dev.apikeys.runtime.key.ApiKeyFormat;
import java.security.SecureRandom;
import org.springframework.stereotype.Component;

/**
 * Makes keys in the shape {@link ApiKeyFormat} describes: {@code sk_}, 32 base62
 * characters from SecureRandom (about 190 bits), then the checksum of those first 35 characters.
 */
@Component
public class ApiKeyGenerator {

    private final SecureRandom random = new SecureRandom();

    public NewApiKey generate() {
        StringBuilder key = new StringBuilder(ApiKeyFormat.PREFIX);
        for (int i = 0; i < ApiKeyFormat.RANDOM_LENGTH; i++) {
            key.append(BASE62.charAt(random.nextInt(BASE62.length())));
        }
        key.append(ApiKeyFormat.checksum(key.toString()));
        String plaintext = key.toString();
        return new NewApiKey(plaintext, plaintext.substring(0, ApiKeyFormat.DISPLAY_PREFIX_LENGTH),
                ApiKeyFormat.sha256Hex(plaintext));
    }
}

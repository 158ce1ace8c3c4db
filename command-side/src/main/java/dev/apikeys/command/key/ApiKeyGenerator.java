package dev.apikeys.command.key;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.zip.CRC32;
import org.springframework.stereotype.Component;

/**
 * Makes keys as contract section 2 describes: {@code sk_}, 32 base62 characters from SecureRandom
 * (about 190 bits), then the CRC32 of those first 35 characters in 6 base62 digits, so a scanner
 * can reject a lookalike without a lookup.
 */
@Component
public class ApiKeyGenerator {

    static final String PREFIX = "sk_";
    static final int RANDOM_LENGTH = 32;
    static final int CHECKSUM_LENGTH = 6;
    static final int DISPLAY_PREFIX_LENGTH = 8;
    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private final SecureRandom random = new SecureRandom();

    public NewApiKey generate() {
        StringBuilder key = new StringBuilder(PREFIX);
        for (int i = 0; i < RANDOM_LENGTH; i++) {
            key.append(BASE62.charAt(random.nextInt(BASE62.length())));
        }
        key.append(checksum(key.toString()));
        String plaintext = key.toString();
        return new NewApiKey(plaintext, plaintext.substring(0, DISPLAY_PREFIX_LENGTH), sha256Hex(plaintext));
    }

    /** CRC32 (IEEE) of the UTF-8 bytes, in base62, most significant digit first, left-padded with 0. */
    static String checksum(String body) {
        CRC32 crc = new CRC32();
        crc.update(body.getBytes(StandardCharsets.UTF_8));
        return base62(crc.getValue(), CHECKSUM_LENGTH);
    }

    static String base62(long value, int width) {
        char[] digits = new char[width];
        long rest = value;
        for (int i = width - 1; i >= 0; i--) {
            digits[i] = BASE62.charAt((int) (rest % BASE62.length()));
            rest /= BASE62.length();
        }
        return new String(digits);
    }

    static String sha256Hex(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime provides SHA-256", e);
        }
    }
}

package dev.apikeys.runtime.key;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.CRC32;

/**
 * The shape of a key: {@code sk_}, 32 base62 characters, then the CRC32 of
 * those first 35 characters in 6 base62 digits. The command side makes keys in it; verification
 * rejects whatever is not in it before any lookup.
 */
public final class ApiKeyFormat {

    public static final String PREFIX = "sk_";
    public static final int RANDOM_LENGTH = 32;
    public static final int CHECKSUM_LENGTH = 6;
    public static final int LENGTH = PREFIX.length() + RANDOM_LENGTH + CHECKSUM_LENGTH;
    /** How much of a key listings show. */
    public static final int DISPLAY_PREFIX_LENGTH = 8;
    public static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private static final int BODY_LENGTH = PREFIX.length() + RANDOM_LENGTH;

    private ApiKeyFormat() {
    }

    /** Whether the string is a key: right prefix, length and alphabet, and a checksum that matches. */
    public static boolean isWellFormed(String candidate) {
        if (candidate.length() != LENGTH || !candidate.startsWith(PREFIX)) {
            return false;
        }
        for (int i = PREFIX.length(); i < LENGTH; i++) {
            if (!isBase62(candidate.charAt(i))) {
                return false;
            }
        }
        return checksum(candidate.substring(0, BODY_LENGTH)).equals(candidate.substring(BODY_LENGTH));
    }

    /** CRC32 (IEEE) of the UTF-8 bytes, in base62, most significant digit first, left-padded with 0. */
    public static String checksum(String body) {
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

    /** The lowercase hex SHA-256 of the key's UTF-8 bytes: all the service keeps of a key. */
    public static String sha256Hex(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime provides SHA-256", e);
        }
    }

    private static boolean isBase62(char c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }
}

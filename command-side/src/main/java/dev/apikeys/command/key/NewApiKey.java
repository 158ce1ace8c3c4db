package dev.apikeys.command.key;

/**
 * A freshly generated key. The plaintext goes to the caller once, in the create response; only the
 * prefix and the hash are kept.
 *
 * @param plaintext the whole key, {@code sk_} + 32 random base62 characters + 6 checksum characters
 * @param prefix the first 8 characters, shown in listings
 * @param sha256Hex lowercase hex SHA-256 of the whole key's UTF-8 bytes
 */
public record NewApiKey(String plaintext, String prefix, String sha256Hex) {

    /** Names only the prefix: a logged key must not leak the secret or its hash. */
    @Override
    public String toString() {
        return "NewApiKey[prefix=" + prefix + "]";
    }
}

package dev.apikeys.bench;

import java.nio.charset.StandardCharsets;

/**
 * A key the service issued, as its answer to a create said: whose it is, its id and its plaintext.
 * The verify phases present the plaintext; the drills look the id up in the store, the read model,
 * the audit topic and the owner's listing.
 */
record IssuedKey(String userId, String keyId, String plaintext) {

    private static final byte[] ID_FIELD = "\"id\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KEY_FIELD = "\"key\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final int UUID_LENGTH = 36;
    /** {@code sk_}, 32 base62 characters and a 6-character checksum. */
    private static final int KEY_LENGTH = 41;

    /** @return the key in the 201 answer just read on {@code answered}, or null if it holds none */
    static IssuedKey fromAnswer(String userId, HttpConnection answered) {
        int id = answered.bodyIndexOf(ID_FIELD);
        int key = answered.bodyIndexOf(KEY_FIELD);
        if (id < 0 || key < 0) {
            return null;
        }
        return new IssuedKey(userId, answered.bodyText(id + ID_FIELD.length, UUID_LENGTH),
                answered.bodyText(key + KEY_FIELD.length, KEY_LENGTH));
    }
}

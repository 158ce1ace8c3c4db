package dev.apikeys.bench;

import java.nio.charset.StandardCharsets;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * One connection creating keys, 90 per user and then on to the next user, so no user reaches the
 * limit of 100 live keys and one user's creates never run concurrently. It keeps the plaintext of
 * every key it was given, for the verify phases, and publishes a GET of its current user's keys,
 * so that reads can be aimed at users being written.
 */
final class CreateKeysWorkload implements ConnectionWorkload {

    static final String PATH = "/api/v1/me/apikeys";
    static final String BODY = "{\"name\": \"bench\", \"scopes\": [\"models:read\"]}";
    private static final int KEYS_PER_USER = 90;
    private static final byte[] KEY_FIELD = "\"key\":\"".getBytes(StandardCharsets.US_ASCII);
    /** {@code sk_}, 32 base62 characters and a 6-character checksum. */
    private static final int KEY_LENGTH = 41;

    private final String userPrefix;
    private final ServiceEndpoint endpoint;
    private final BearerTokens tokens;
    private final Queue<String> issuedKeys;
    private final AtomicReferenceArray<byte[]> readsOfCurrentUsers;
    private final int connection;
    private int user = -1;
    private int createdForUser;
    private byte[] request;

    /**
     * @param userPrefix distinct per run, so no user is shared between runs or connections
     * @param readsOfCurrentUsers where this connection publishes the GET of its current user, at
     *        index {@code connection}
     */
    CreateKeysWorkload(String userPrefix, int connection, ServiceEndpoint endpoint, BearerTokens tokens,
            Queue<String> issuedKeys, AtomicReferenceArray<byte[]> readsOfCurrentUsers) {
        this.userPrefix = userPrefix;
        this.connection = connection;
        this.endpoint = endpoint;
        this.tokens = tokens;
        this.issuedKeys = issuedKeys;
        this.readsOfCurrentUsers = readsOfCurrentUsers;
        nextUser();
    }

    @Override
    public byte[] nextRequest() {
        if (createdForUser == KEYS_PER_USER) {
            nextUser();
        }
        return request;
    }

    @Override
    public boolean accepts(HttpConnection answered) {
        if (answered.status() != 201) {
            return false;
        }
        String key = plaintextKey(answered);
        if (key != null) {
            issuedKeys.add(key);
        }
        createdForUser++;
        return true;
    }

    /** @return the plaintext key in the answer to a create, or null if it has none */
    static String plaintextKey(HttpConnection answered) {
        int field = answered.bodyIndexOf(KEY_FIELD);
        return field < 0 ? null : answered.bodyText(field + KEY_FIELD.length, KEY_LENGTH);
    }

    private void nextUser() {
        user++;
        createdForUser = 0;
        String token = tokens.forUser(userPrefix + "-" + connection + "-" + user);
        request = endpoint.post(PATH, token, BODY);
        readsOfCurrentUsers.set(connection, endpoint.get(PATH, token));
    }
}

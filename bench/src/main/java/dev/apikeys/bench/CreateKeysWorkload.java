package dev.apikeys.bench;

import java.util.function.Consumer;

/**
 * One connection creating keys, 90 per user and then on to the next user, so no user reaches the
 * limit of 100 live keys and one user's creates never run concurrently. It hands on every key it
 * was given, and publishes a GET of its current user's keys, so that reads can be aimed at users
 * being written.
 */
final class CreateKeysWorkload implements ConnectionWorkload {

    static final String PATH = "/api/v1/me/apikeys";
    static final String BODY = "{\"name\": \"bench\", \"scopes\": [\"models:read\"]}";
    private static final int KEYS_PER_USER = 90;

    private final String userPrefix;
    private final ServiceEndpoint endpoint;
    private final BearerTokens tokens;
    private final Consumer<IssuedKey> issuedKeys;
    private final Consumer<byte[]> readOfCurrentUser;
    private final int connection;
    private int user = -1;
    private String userId;
    private int createdForUser;
    private byte[] request;

    /**
     * @param userPrefix distinct per run, so no user is shared between runs or connections
     * @param issuedKeys called, on this connection's thread, with every key a create answered
     * @param readOfCurrentUser called with the GET of the keys of each user this connection moves on to
     */
    CreateKeysWorkload(String userPrefix, int connection, ServiceEndpoint endpoint, BearerTokens tokens,
            Consumer<IssuedKey> issuedKeys, Consumer<byte[]> readOfCurrentUser) {
        this.userPrefix = userPrefix;
        this.connection = connection;
        this.endpoint = endpoint;
        this.tokens = tokens;
        this.issuedKeys = issuedKeys;
        this.readOfCurrentUser = readOfCurrentUser;
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
        IssuedKey key = IssuedKey.fromAnswer(userId, answered);
        if (key != null) {
            issuedKeys.accept(key);
        }
        createdForUser++;
        return true;
    }

    private void nextUser() {
        user++;
        createdForUser = 0;
        userId = userPrefix + "-" + connection + "-" + user;
        String token = tokens.forUser(userId);
        request = endpoint.post(PATH, token, BODY);
        readOfCurrentUser.accept(endpoint.get(PATH, token));
    }
}

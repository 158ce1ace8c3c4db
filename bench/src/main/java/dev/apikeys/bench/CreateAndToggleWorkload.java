package dev.apikeys.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * One connection writing as a user's tooling does: it creates keys (as {@link CreateKeysWorkload},
 * user after user) and flips them between disabled and enabled, two toggles per create, each aimed
 * at a random key this connection created and sent with its owner's token. Every write answered
 * 2xx counts as served.
 */
final class CreateAndToggleWorkload implements ConnectionWorkload {

    private static final int TOGGLES_PER_CREATE = 2;

    private final CreateKeysWorkload creates;
    private final ServiceEndpoint endpoint;
    private final BearerTokens tokens;
    private final List<IssuedKey> created = new ArrayList<>();
    private final Map<String, String> tokensByUser = new HashMap<>();
    private long writes;
    private boolean creating;

    /** @param issuedKeys called, on this connection's thread, with every key a create answered */
    CreateAndToggleWorkload(String userPrefix, int connection, ServiceEndpoint endpoint, BearerTokens tokens,
            Consumer<IssuedKey> issuedKeys) {
        this.endpoint = endpoint;
        this.tokens = tokens;
        this.creates = new CreateKeysWorkload(userPrefix, connection, endpoint, tokens, key -> {
            created.add(key);
            issuedKeys.accept(key);
        }, read -> { });
    }

    @Override
    public byte[] nextRequest() {
        creating = created.isEmpty() || writes % (TOGGLES_PER_CREATE + 1) == 0;
        writes++;
        if (creating) {
            return creates.nextRequest();
        }
        IssuedKey key = created.get(ThreadLocalRandom.current().nextInt(created.size()));
        return endpoint.put(CreateKeysWorkload.PATH + "/" + key.keyId(),
                tokensByUser.computeIfAbsent(key.userId(), tokens::forUser));
    }

    @Override
    public boolean accepts(HttpConnection answered) {
        return creating ? creates.accepts(answered) : answered.status() == 200;
    }
}

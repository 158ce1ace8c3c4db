package dev.apikeys.query.verify;

import dev.apikeys.events.ApiKeyDeleted;
import dev.apikeys.events.ApiKeyEvent;
import dev.apikeys.events.KeyState;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Every key in memory, by hash: what a verification reads instead of the database. Each key is its
 * {@link KeyState}, kept only with what verification and usage need. A deleted key stays as a
 * tombstone, so that an older event arriving again cannot bring it back, only until the store's
 * events in order reach its deletion: none of its events can come after that but usage facts,
 * which bring back nothing. The feed of events writes, one event at a time; any number of
 * verifications read.
 */
@Component
class VerifiableKeys {

    private final Map<String, KeyState> byHash = new ConcurrentHashMap<>();
    private final Map<UUID, String> hashById = new ConcurrentHashMap<>();

    KeyState find(String keyHash) {
        return byHash.get(keyHash);
    }

    KeyState byId(UUID keyId) {
        String hash = hashById.get(keyId);
        return hash == null ? null : byHash.get(hash);
    }

    int size() {
        return byHash.size();
    }

    /** Takes a key as the read model holds it, unless a newer state is known already. */
    synchronized void load(KeyState key) {
        KeyState known = byHash.get(key.keyHash());
        if (known == null || known.position().lifecycle() < key.position().lifecycle()) {
            keep(key);
        }
    }

    /** Applies an event, numbered {@code sequence} in its stream; a key applies each event once. */
    synchronized void apply(ApiKeyEvent event, long sequence) {
        KeyState known = byId(event.keyId());
        KeyState before = known == null ? KeyState.NONE : known;
        KeyState after = before.apply(event, sequence);
        if (after != before) {
            keep(after);
        }
    }

    /** Applies an event the store delivered in its order; a deletion there forgets the key. */
    synchronized void applyInStoreOrder(ApiKeyEvent event, long sequence) {
        apply(event, sequence);
        if (event instanceof ApiKeyDeleted) {
            String hash = hashById.remove(event.keyId());
            if (hash != null) {
                byHash.remove(hash);
            }
        }
    }

    private void keep(KeyState key) {
        hashById.put(key.keyId(), key.keyHash());
        byHash.put(key.keyHash(), new KeyState(key.keyId(), key.userId(), key.organizationId(), null, null,
                key.keyHash(), key.scopes(), null, null, key.expiresAt(), null, null, key.disabled(), key.deleted(),
                key.position(), key.settings()));
    }
}

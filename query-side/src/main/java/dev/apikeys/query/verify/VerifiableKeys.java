package dev.apikeys.query.verify;

import dev.apikeys.events.ApiKeyCreated;
import dev.apikeys.events.ApiKeyDeleted;
import dev.apikeys.events.ApiKeyDisabled;
import dev.apikeys.events.ApiKeyEnabled;
import dev.apikeys.events.ApiKeyRotated;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * Every key in memory, by hash: what a verification reads instead of the database. One thread
 * writes (the feed), any number read. Deleted keys stay as tombstones, so that an older event
 * arriving again cannot bring a key back.
 */
class VerifiableKeys {

    private final Map<String, VerifiableKey> byHash = new ConcurrentHashMap<>();
    private final Map<UUID, String> hashById = new ConcurrentHashMap<>();

    VerifiableKey find(String keyHash) {
        return byHash.get(keyHash);
    }

    int size() {
        return byHash.size();
    }

    /** Takes a key as the lookup table holds it, unless a newer state is known already. */
    void load(VerifiableKey key) {
        VerifiableKey known = byHash.get(key.keyHash());
        if (known == null || known.sequence() < key.sequence()) {
            hashById.put(key.keyId(), key.keyHash());
            byHash.put(key.keyHash(), key);
        }
    }

    /** Applies one event of a key's own stream, numbered {@code sequence} in it. */
    void apply(Object event, long sequence) {
        if (event instanceof ApiKeyCreated created) {
            load(new VerifiableKey(created.keyId(), created.keyHash(), created.userId(), created.organizationId(),
                    created.scopes(), created.expiresAt(), false, false, sequence));
        } else if (event instanceof ApiKeyDisabled disabled) {
            change(disabled.keyId(), sequence, key -> key.disabled(true, sequence));
        } else if (event instanceof ApiKeyEnabled enabled) {
            change(enabled.keyId(), sequence, key -> key.disabled(false, sequence));
        } else if (event instanceof ApiKeyRotated rotated) {
            change(rotated.keyId(), sequence, key -> key.expiringAt(rotated.expiresAt(), sequence));
        } else if (event instanceof ApiKeyDeleted deleted) {
            change(deleted.keyId(), sequence, key -> key.deleted(sequence));
        }
    }

    private void change(UUID keyId, long sequence, UnaryOperator<VerifiableKey> change) {
        String hash = hashById.get(keyId);
        VerifiableKey known = hash == null ? null : byHash.get(hash);
        // Unknown: its creation is not applied, which cannot happen for events of one key in order.
        if (known != null && known.sequence() < sequence) {
            byHash.put(hash, change.apply(known));
        }
    }
}

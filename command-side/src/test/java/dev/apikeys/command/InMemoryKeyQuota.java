package dev.apikeys.command;

import dev.apikeys.command.quota.KeyQuota;
import dev.apikeys.command.quota.KeyQuotaExceeded;
import java.util.HashMap;
import java.util.Map;

/** The quota rule without a database, for the aggregate fixture. */
class InMemoryKeyQuota implements KeyQuota {

    private final int maxKeysPerUser;
    private final Map<String, Integer> liveKeys = new HashMap<>();

    InMemoryKeyQuota(int maxKeysPerUser) {
        this.maxKeysPerUser = maxKeysPerUser;
    }

    @Override
    public void reserve(String userId) {
        int held = liveKeys(userId);
        if (held >= maxKeysPerUser) {
            throw new KeyQuotaExceeded(maxKeysPerUser);
        }
        liveKeys.put(userId, held + 1);
    }

    @Override
    public void release(String userId) {
        liveKeys.put(userId, Math.max(0, liveKeys(userId) - 1));
    }

    int liveKeys(String userId) {
        return liveKeys.getOrDefault(userId, 0);
    }
}

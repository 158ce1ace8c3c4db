package dev.apikeys.command.quota;

/** The user already holds as many keys as they may. */
public class KeyQuotaExceeded extends RuntimeException {

    private final int maxKeysPerUser;

    public KeyQuotaExceeded(int maxKeysPerUser) {
        super("The user already holds " + maxKeysPerUser + " keys", null, false, false);
        this.maxKeysPerUser = maxKeysPerUser;
    }

    public int maxKeysPerUser() {
        return maxKeysPerUser;
    }
}

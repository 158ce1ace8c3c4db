package dev.apikeys.command.quota;

/**
 * How many keys that are not deleted each user may hold ({@code apikeys.max-keys-per-user}). A rule
 * across aggregates, so it lives beside them and joins the unit of work of the command that
 * changes the count: if the events are not stored, the count does not change either.
 */
public interface KeyQuota {

    /**
     * Counts one more live key for the user.
     *
     * @throws KeyQuotaExceeded when the user already holds the maximum
     */
    void reserve(String userId);

    /** Counts one live key fewer for the user. */
    void release(String userId);
}

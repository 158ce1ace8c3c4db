package dev.apikeys.query.analytics;

/** What the analytics count, one column of {@code read_model.key_activity_daily} each. */
enum Activity {
    CREATED, DISABLED, ENABLED, DELETED, ROTATED, USED
}

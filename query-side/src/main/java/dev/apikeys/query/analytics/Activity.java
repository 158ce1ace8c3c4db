package dev.apikeys.query.analytics;

import dev.apikeys.events.ApiKeyCreated;
import dev.apikeys.events.ApiKeyCreditsConsumed;
import dev.apikeys.events.ApiKeyDeleted;
import dev.apikeys.events.ApiKeyDisabled;
import dev.apikeys.events.ApiKeyEnabled;
import dev.apikeys.events.ApiKeyEvent;
import dev.apikeys.events.ApiKeyRotated;
import dev.apikeys.events.ApiKeyUpdated;
import dev.apikeys.events.ApiKeyUsed;

/**
 * What the analytics count, one column of {@code read_model.key_activity_daily} each, but updates
 * and credit consumption, which the analytics do not count.
 */
enum Activity {
    CREATED, DISABLED, ENABLED, UPDATED, DELETED, ROTATED, USED, CREDITS_CONSUMED;

    /** "used" counts usage facts: at most one per key and flush interval, not every verification. */
    static Activity of(ApiKeyEvent event) {
        return event.accept(new ApiKeyEvent.Visitor<>() {
            @Override
            public Activity created(ApiKeyCreated created) {
                return CREATED;
            }

            @Override
            public Activity disabled(ApiKeyDisabled disabled) {
                return DISABLED;
            }

            @Override
            public Activity enabled(ApiKeyEnabled enabled) {
                return ENABLED;
            }

            @Override
            public Activity updated(ApiKeyUpdated updated) {
                return UPDATED;
            }

            @Override
            public Activity rotated(ApiKeyRotated rotated) {
                return ROTATED;
            }

            @Override
            public Activity deleted(ApiKeyDeleted deleted) {
                return DELETED;
            }

            @Override
            public Activity used(ApiKeyUsed used) {
                return USED;
            }

            @Override
            public Activity creditsConsumed(ApiKeyCreditsConsumed consumed) {
                return CREDITS_CONSUMED;
            }
        });
    }
}

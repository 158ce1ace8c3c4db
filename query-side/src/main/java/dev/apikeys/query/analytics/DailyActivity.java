package dev.apikeys.query.analytics;

import java.time.LocalDate;

/** One owner's counts of one UTC day: an element of the analytics answer, and a batch's increments. */
record DailyActivity(LocalDate date, long created, long disabled, long enabled, long deleted, long rotated,
        long used) {

    static DailyActivity none(LocalDate date) {
        return new DailyActivity(date, 0, 0, 0, 0, 0, 0);
    }

    DailyActivity plus(Activity activity) {
        return switch (activity) {
            case CREATED -> new DailyActivity(date, created + 1, disabled, enabled, deleted, rotated, used);
            case DISABLED -> new DailyActivity(date, created, disabled + 1, enabled, deleted, rotated, used);
            case ENABLED -> new DailyActivity(date, created, disabled, enabled + 1, deleted, rotated, used);
            case UPDATED, CREDITS_CONSUMED -> this;
            case DELETED -> new DailyActivity(date, created, disabled, enabled, deleted + 1, rotated, used);
            case ROTATED -> new DailyActivity(date, created, disabled, enabled, deleted, rotated + 1, used);
            case USED -> new DailyActivity(date, created, disabled, enabled, deleted, rotated, used + 1);
        };
    }
}

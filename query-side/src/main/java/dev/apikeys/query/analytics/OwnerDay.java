package dev.apikeys.query.analytics;

import java.time.LocalDate;
import java.util.Comparator;

/** A row of {@code read_model.key_activity_daily}: an owner and a UTC day. */
record OwnerDay(String userId, LocalDate day) implements Comparable<OwnerDay> {

    private static final Comparator<OwnerDay> ORDER =
            Comparator.comparing(OwnerDay::userId).thenComparing(OwnerDay::day);

    @Override
    public int compareTo(OwnerDay other) {
        return ORDER.compare(this, other);
    }
}

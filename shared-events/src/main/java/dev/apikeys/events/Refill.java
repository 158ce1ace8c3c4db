package dev.apikeys.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/** A key's credits are set to {@code amount} at each 00:00 UTC (daily) or 00:00 UTC on the 1st (monthly). */
public record Refill(long amount, Interval interval) {

    public enum Interval {
        @JsonProperty("daily") DAILY,
        @JsonProperty("monthly") MONTHLY
    }

    /** The last refill at or before the instant. */
    public Instant lastAtOrBefore(Instant instant) {
        LocalDate day = LocalDate.ofInstant(instant, ZoneOffset.UTC);
        LocalDate refilled = interval == Interval.DAILY ? day : day.withDayOfMonth(1);
        return refilled.atStartOfDay(ZoneOffset.UTC).toInstant();
    }
}

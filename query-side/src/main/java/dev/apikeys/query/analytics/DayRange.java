package dev.apikeys.query.analytics;

import dev.apikeys.runtime.problem.InvalidRequest;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** UTC days from {@code from} to {@code to}, both included. */
record DayRange(LocalDate from, LocalDate to) {

    static final int MAX_DAYS = 366;

    /** The days the analytics show when the caller names no start: these 30, ending with {@code to}. */
    static final int DEFAULT_DAYS = 30;

    /** Exactly YYYY-MM-DD: LocalDate alone would also take a signed year of five or more digits. */
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

    /**
     * The range the query parameters ask for. {@code to} defaults to today, {@code from} to the 29
     * days before {@code to}. Only a range with a {@code from} given can be reversed or too long, so
     * those errors name {@code from}.
     *
     * @throws InvalidRequest naming each parameter that is wrong
     */
    static DayRange of(String from, String to, LocalDate today) {
        List<InvalidRequest.FieldError> errors = new ArrayList<>();
        LocalDate first = from == null ? null : date("from", from, errors);
        LocalDate last = to == null ? today : date("to", to, errors);
        if (!errors.isEmpty()) {
            throw new InvalidRequest(errors);
        }
        if (first == null) {
            return new DayRange(last.minusDays(DEFAULT_DAYS - 1), last);
        }
        if (first.isAfter(last)) {
            throw new InvalidRequest("from", "must not be after to (" + last + ")");
        }
        if (ChronoUnit.DAYS.between(first, last) + 1 > MAX_DAYS) {
            throw new InvalidRequest("from", "must be at most " + (MAX_DAYS - 1) + " days before to (" + last
                    + "): a range holds at most " + MAX_DAYS + " days");
        }
        return new DayRange(first, last);
    }

    Stream<LocalDate> days() {
        return from.datesUntil(to.plusDays(1));
    }

    private static LocalDate date(String field, String value, List<InvalidRequest.FieldError> errors) {
        if (DATE.matcher(value).matches()) {
            try {
                return LocalDate.parse(value);
            } catch (DateTimeParseException e) {
                // Reported below, as for any other malformed value.
            }
        }
        errors.add(new InvalidRequest.FieldError(field, "must be a date YYYY-MM-DD"));
        return null;
    }
}

package dev.apikeys.query.analytics;

import dev.apikeys.query.processing.ReadYourWrites;
import dev.apikeys.runtime.security.Caller;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * GET /api/v1/me/apikeys/analytics: the caller's key activity per UTC day, every day of the range,
 * including the caller's own writes. A literal path, so it never reads as a key id.
 */
@RestController
@RequestMapping("/api/v1/me/apikeys/analytics")
class AnalyticsController {

    private final ReadYourWrites readYourWrites;
    private final KeyActivityTable table;
    private final Clock clock;

    AnalyticsController(ReadYourWrites readYourWrites, KeyActivityTable table, Clock clock) {
        this.readYourWrites = readYourWrites;
        this.table = table;
        this.clock = clock;
    }

    @GetMapping
    List<DailyActivity> analytics(Caller caller, @RequestParam(required = false) String from,
            @RequestParam(required = false) String to) {
        DayRange range = DayRange.of(from, to, LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC));
        readYourWrites.awaitProcessor(ActivityCounter.PROCESSOR);
        Map<LocalDate, DailyActivity> active = table.daysOf(caller.userId(), range).stream()
                .collect(Collectors.toMap(DailyActivity::date, Function.identity()));
        return range.days()
                .map(day -> active.getOrDefault(day, DailyActivity.none(day)))
                .toList();
    }
}

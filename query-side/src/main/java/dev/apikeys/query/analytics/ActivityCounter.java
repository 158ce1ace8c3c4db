package dev.apikeys.query.analytics;

import dev.apikeys.events.ApiKeyEvent;
import dev.apikeys.events.KeyPosition;
import dev.apikeys.query.processing.BatchProjection;
import dev.apikeys.query.processing.SequencedEvent;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import org.axonframework.config.ProcessingGroup;
import org.springframework.stereotype.Component;

/**
 * Processor {@code apikey-analytics}: each owner's key activity per UTC day of the event's own time.
 * The handlers only collect a batch's events; just before the batch commits (with the processor's
 * token) they are counted in three statements, each event once: how far each key's streams are
 * counted moves forward in the same transaction, so a redelivered event, or one a rebuild counted
 * before the processor applies it again, is not counted twice.
 */
@Component
@ProcessingGroup(ActivityCounter.PROCESSOR)
class ActivityCounter implements BatchProjection {

    static final String PROCESSOR = "apikey-analytics";

    private final KeyActivityTable table;

    ActivityCounter(KeyActivityTable table) {
        this.table = table;
    }

    @Override
    public String processorName() {
        return PROCESSOR;
    }

    /** The positions are read first, so they are locked first. */
    @Override
    public List<String> tables() {
        return List.of(KeyActivityTable.POSITIONS, KeyActivityTable.COUNTS);
    }

    @Override
    public void apply(List<SequencedEvent> events, String suffix) {
        Set<UUID> ids = new LinkedHashSet<>();
        events.forEach(event -> ids.add(event.event().keyId()));
        Map<UUID, KeyPosition> positions = new HashMap<>(table.positions(ids, suffix));
        Map<UUID, KeyPosition> moved = new LinkedHashMap<>();
        SortedMap<OwnerDay, DailyActivity> increments = new TreeMap<>();
        for (SequencedEvent sequenced : events) {
            ApiKeyEvent event = sequenced.event();
            KeyPosition position = positions.getOrDefault(event.keyId(), KeyPosition.NONE);
            if (!position.covers(event, sequenced.sequence())) {
                KeyPosition after = position.after(event, sequenced.sequence());
                positions.put(event.keyId(), after);
                moved.put(event.keyId(), after);
                OwnerDay row = new OwnerDay(event.userId(), LocalDate.ofInstant(event.occurredAt(), ZoneOffset.UTC));
                increments.compute(row, (key, sum) -> (sum == null ? DailyActivity.none(row.day()) : sum)
                        .plus(Activity.of(event)));
            }
        }
        table.savePositions(moved, suffix);
        table.add(increments, suffix);
    }

    @Override
    public void deleteAll(String suffix) {
        table.deleteAll(suffix);
    }
}

package dev.apikeys.query.keys;

import dev.apikeys.events.KeyPosition;
import dev.apikeys.events.KeyState;
import dev.apikeys.query.KeyStates;
import dev.apikeys.query.ReadModelTable;
import dev.apikeys.query.ReadModelTable.Column;
import dev.apikeys.query.keys.HistoryMarks.Mark;
import dev.apikeys.query.processing.BatchProjection;
import dev.apikeys.query.processing.SequencedEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.axonframework.config.ProcessingGroup;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Processor {@code apikey-read-model}: every key's {@link KeyState} in table {@code read_model.api_key},
 * what GET lists and what verification loads its keys from. A batch costs two statements whatever
 * its size: one reads the states of the batch's keys, the events are folded in memory in order, and
 * one upsert writes the states they changed (and one insert the
 * {@link HistoryMarks} they passed, if any). Idempotent through the fold: a redelivered or replayed
 * event changes nothing.
 */
@Component
@ProcessingGroup(ReadModelProjection.PROCESSOR)
public class ReadModelProjection implements BatchProjection {

    public static final String PROCESSOR = "apikey-read-model";

    /**
     * A key's row: its state, and the earliest and latest time of its history's entries since its
     * last {@link HistoryMarks mark} (null for a key from before they were kept: unknown).
     */
    record Row(KeyState state, Instant blockEarliest, Instant blockLatest) {

        static final Row NONE = new Row(KeyState.NONE, null, null);
    }

    private final ReadModelTable<Row> keys;
    private final HistoryMarks marks;

    ReadModelProjection(JdbcTemplate jdbc, HistoryMarks marks) {
        List<Column<Row>> columns = new ArrayList<>(KeyStates.withHash().stream().map(column -> column.of(Row::state))
                .toList());
        columns.add(new Column<>("block_earliest", "bigint", row -> HistoryMarks.floorMicros(row.blockEarliest())));
        columns.add(new Column<>("block_latest", "bigint", row -> HistoryMarks.ceilMicros(row.blockLatest())));
        this.keys = ReadModelTable.replacing(jdbc, KeyStates.READ_MODEL, columns, (row, number) -> new Row(
                KeyStates.read(row, true), HistoryMarks.micros(row, "block_earliest"),
                HistoryMarks.micros(row, "block_latest")));
        this.marks = marks;
    }

    @Override
    public String processorName() {
        return PROCESSOR;
    }

    @Override
    public List<String> tables() {
        return List.of(KeyStates.READ_MODEL, HistoryMarks.TABLE);
    }

    @Override
    public void apply(List<SequencedEvent> events, String suffix) {
        Set<UUID> ids = new LinkedHashSet<>();
        events.forEach(event -> ids.add(event.event().keyId()));
        Map<UUID, Row> rows = new LinkedHashMap<>(keys.load(ids, suffix, row -> row.state().keyId()));
        Map<UUID, Row> changed = new LinkedHashMap<>();
        List<Mark> marked = new ArrayList<>();
        for (SequencedEvent event : events) {
            UUID id = event.event().keyId();
            Row before = rows.getOrDefault(id, Row.NONE);
            KeyState after = before.state().apply(event.event(), event.sequence());
            if (after != before.state()) {
                Row row = next(before, after, event.event().occurredAt(), marked);
                rows.put(id, row);
                changed.put(id, row);
            }
        }
        keys.save(changed.values(), suffix);
        marks.save(marked, suffix);
    }

    /** The row once an event that happened {@code at} is applied; at every thousandth entry, a mark before it. */
    private static Row next(Row before, KeyState after, Instant at, List<Mark> marked) {
        KeyPosition applied = before.state().position();
        long entry = HistoryMarks.entryAfter(applied);
        if (entry > 0 && entry % HistoryMarks.EVERY == 0) {
            marked.add(new Mark(after.keyId(), entry, applied.lifecycle() + 1, applied.usage() + 1, before.state(),
                    before.blockEarliest(), before.blockLatest()));
            return new Row(after, at, at);
        }
        if (!before.state().exists()) {
            return new Row(after, at, at);
        }
        return new Row(after, earlier(before.blockEarliest(), at), later(before.blockLatest(), at));
    }

    /** Unknown stays unknown until the next mark. */
    private static Instant earlier(Instant known, Instant at) {
        return known == null || known.isBefore(at) ? known : at;
    }

    private static Instant later(Instant known, Instant at) {
        return known == null || known.isAfter(at) ? known : at;
    }

    @Override
    public void deleteAll(String suffix) {
        keys.deleteAll(suffix);
        marks.deleteAll(suffix);
    }
}

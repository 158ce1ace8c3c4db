package dev.apikeys.query.processing;

import dev.apikeys.events.ApiKeyUsageStream;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * What the event store's index says, without reading any event (which Axon's storage engine would
 * read and decode): its head, which global indexes are committed events, and which key the events
 * of a stretch are about. All are index-only lookups of the store's primary key.
 */
@Component
public class EventStoreIndex {

    private final NamedParameterJdbcTemplate jdbc;

    EventStoreIndex(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The highest committed global index (-1 for none) and which of the given indexes are committed events. */
    public Head head(Collection<Long> indexes) {
        return jdbc.queryForObject("""
                select coalesce((select max(global_index) from event_store.domain_event_entry), -1) as head,
                       array(select global_index from event_store.domain_event_entry
                              where global_index in (:indexes)) as committed
                """, Map.of("indexes", orNone(indexes)),
                (row, number) -> new Head(row.getLong("head"), Set.of((Long[]) row.getArray("committed").getArray())));
    }

    /** The committed events up to {@code head} after {@code after} or among {@code gaps}, and their keys. */
    public List<IndexedEvent> between(long after, long head, Collection<Long> gaps) {
        return jdbc.query("""
                select global_index, aggregate_identifier from event_store.domain_event_entry
                 where global_index <= :head and (global_index > :after or global_index in (:gaps))
                """, new MapSqlParameterSource().addValue("head", head).addValue("after", after)
                        .addValue("gaps", orNone(gaps)),
                (row, number) -> new IndexedEvent(row.getLong("global_index"),
                        ApiKeyUsageStream.keyIdOf(row.getString("aggregate_identifier"))));
    }

    /** The head and the number of committed events after {@code position}, from one snapshot. */
    public Backlog backlog(long position) {
        return jdbc.queryForObject("""
                select coalesce((select max(global_index) from event_store.domain_event_entry), -1) as head,
                       (select count(*) from event_store.domain_event_entry where global_index > :position) as events
                """, Map.of("position", position),
                (row, number) -> new Backlog(row.getLong("head"), row.getLong("events")));
    }

    /** "in ()" is no SQL; -1 is never a global index. */
    private static Collection<Long> orNone(Collection<Long> indexes) {
        return indexes.isEmpty() ? List.of(-1L) : indexes;
    }

    public record Head(long index, Set<Long> committed) {
    }

    /** @param key the key the event is about, by which processors sequence and segment it */
    public record IndexedEvent(long globalIndex, String key) {
    }

    public record Backlog(long head, long events) {
    }
}

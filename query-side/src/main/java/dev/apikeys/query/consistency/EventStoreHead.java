package dev.apikeys.query.consistency;

import java.util.Collection;
import java.util.List;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/** Reads the committed state of the command side's event store (schema event_store). */
@Component
class EventStoreHead {

    private final NamedParameterJdbcTemplate jdbc;

    EventStoreHead(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * The committed events at or below the head that lie after {@code after} or are among
     * {@code gaps}: the only ones a processor at those positions may not have applied.
     */
    List<StoredEvent> candidates(long head, long after, Collection<Long> gaps) {
        MapSqlParameterSource parameters = new MapSqlParameterSource()
                .addValue("head", head)
                .addValue("after", after)
                // "in ()" is not valid SQL; -1 is never a global index.
                .addValue("gaps", gaps.isEmpty() ? List.of(-1L) : gaps);
        // The query side's processors sequence an event by the key it is about (EventProcessing):
        // its aggregate identifier without the "/usage" of a key's usage stream. Axon reads an event
        // whose aggregate identifier equals its event identifier as one without an aggregate,
        // sequenced by its event identifier: the same string. So whatever the type column holds,
        // this is the sequence identifier.
        return jdbc.query("""
                select global_index,
                       regexp_replace(aggregate_identifier, '/usage$', '') as sequence_identifier
                  from event_store.domain_event_entry
                 where global_index <= :head and (global_index > :after or global_index in (:gaps))
                """, parameters,
                (row, rowNumber) -> new StoredEvent(row.getLong("global_index"), row.getString("sequence_identifier")));
    }
}

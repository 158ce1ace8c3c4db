package dev.apikeys.query.keys;

import dev.apikeys.events.KeyState;
import dev.apikeys.query.KeyStates;
import dev.apikeys.query.ReadModelTable;
import dev.apikeys.query.processing.BatchProjection;
import dev.apikeys.query.processing.SequencedEvent;
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
 * one upsert writes the states they changed. Idempotent through the fold: a redelivered or replayed
 * event changes nothing.
 */
@Component
@ProcessingGroup(ReadModelProjection.PROCESSOR)
public class ReadModelProjection implements BatchProjection {

    public static final String PROCESSOR = "apikey-read-model";

    private final ReadModelTable<KeyState> keys;

    ReadModelProjection(JdbcTemplate jdbc) {
        this.keys = KeyStates.readModel(jdbc);
    }

    @Override
    public String processorName() {
        return PROCESSOR;
    }

    @Override
    public List<String> tables() {
        return List.of(KeyStates.READ_MODEL);
    }

    @Override
    public void apply(List<SequencedEvent> events, String suffix) {
        Set<UUID> ids = new LinkedHashSet<>();
        events.forEach(event -> ids.add(event.event().keyId()));
        Map<UUID, KeyState> states = new LinkedHashMap<>(keys.load(ids, suffix, KeyState::keyId));
        Map<UUID, KeyState> changed = new LinkedHashMap<>();
        for (SequencedEvent event : events) {
            UUID id = event.event().keyId();
            KeyState before = states.getOrDefault(id, KeyState.NONE);
            KeyState after = before.apply(event.event(), event.sequence());
            if (after != before) {
                states.put(id, after);
                changed.put(id, after);
            }
        }
        keys.save(changed.values(), suffix);
    }

    @Override
    public void deleteAll(String suffix) {
        keys.deleteAll(suffix);
    }
}

package dev.apikeys.query.verify;

import dev.apikeys.events.ApiKeyCreated;
import dev.apikeys.events.ApiKeyDeleted;
import dev.apikeys.events.ApiKeyDisabled;
import dev.apikeys.events.ApiKeyEnabled;
import dev.apikeys.events.ApiKeyRotated;
import dev.apikeys.query.projection.ApiKeyProjection;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.springframework.stereotype.Component;

/**
 * Keeps {@code read_model.key_lookup} current, in the read-model processor's transactions: a
 * query-side instance starts from this table rather than from the whole event store.
 */
@Component
@ProcessingGroup(ApiKeyProjection.PROCESSOR)
class KeyLookupProjection {

    private final KeyLookupTable table;

    KeyLookupProjection(KeyLookupTable table) {
        this.table = table;
    }

    @EventHandler
    void on(ApiKeyCreated event, @SequenceNumber long sequence) {
        table.insert(new VerifiableKey(event.keyId(), event.keyHash(), event.userId(), event.organizationId(),
                event.scopes(), event.expiresAt(), false, false, sequence));
    }

    @EventHandler
    void on(ApiKeyDisabled event, @SequenceNumber long sequence) {
        table.setDisabled(event.keyId(), true, sequence);
    }

    @EventHandler
    void on(ApiKeyEnabled event, @SequenceNumber long sequence) {
        table.setDisabled(event.keyId(), false, sequence);
    }

    @EventHandler
    void on(ApiKeyRotated event, @SequenceNumber long sequence) {
        table.setExpiresAt(event.keyId(), event.expiresAt(), sequence);
    }

    @EventHandler
    void on(ApiKeyDeleted event, @SequenceNumber long sequence) {
        table.setDeleted(event.keyId(), sequence);
    }

    @ResetHandler
    void onReset() {
        table.deleteAll();
    }
}

package dev.apikeys.query.projection;

import dev.apikeys.events.ApiKeyCreated;
import dev.apikeys.events.ApiKeyDeleted;
import dev.apikeys.events.ApiKeyDisabled;
import dev.apikeys.events.ApiKeyEnabled;
import dev.apikeys.events.ApiKeyRotated;
import dev.apikeys.events.ApiKeyUsed;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Consumer;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Builds the read model GET answers from. Every handler is idempotent: a redelivered event (the
 * batch rolled back after the handler ran, or another instance took the segment over) is skipped
 * by the key's last applied sequence number, or, for usage, changes nothing the second time.
 */
@Component
@ProcessingGroup(ApiKeyProjection.PROCESSOR)
public class ApiKeyProjection {

    public static final String PROCESSOR = "apikey-read-model";

    private static final Logger log = LoggerFactory.getLogger(ApiKeyProjection.class);

    private final ApiKeyViews views;

    public ApiKeyProjection(ApiKeyViews views) {
        this.views = views;
    }

    @EventHandler
    void on(ApiKeyCreated event, @SequenceNumber long sequence) {
        if (views.existsById(event.keyId())) {
            return;
        }
        views.save(new ApiKeyView(event.keyId(), event.userId(), event.organizationId(), event.name(),
                event.keyPrefix(), event.scopes(), event.expiresAt(), event.createdAt(), sequence));
    }

    @EventHandler
    void on(ApiKeyDisabled event, @SequenceNumber long sequence) {
        change(event.keyId(), sequence, event.disabledAt(), ApiKeyView::disable);
    }

    @EventHandler
    void on(ApiKeyEnabled event, @SequenceNumber long sequence) {
        change(event.keyId(), sequence, event.enabledAt(), ApiKeyView::enable);
    }

    @EventHandler
    void on(ApiKeyDeleted event, @SequenceNumber long sequence) {
        change(event.keyId(), sequence, event.deletedAt(), ApiKeyView::delete);
    }

    @EventHandler
    void on(ApiKeyRotated event, @SequenceNumber long sequence) {
        change(event.keyId(), sequence, event.rotatedAt(), view -> view.expireAt(event.expiresAt()));
    }

    /**
     * Usage is numbered in the key's usage stream, not the key's, so it leaves last_sequence alone;
     * taking the later instant makes it idempotent. Not a change of the key: updated_at stays.
     */
    @EventHandler
    void on(ApiKeyUsed event) {
        views.findById(event.keyId()).ifPresentOrElse(
                view -> {
                    if (view.usedAt(event.lastUsedAt())) {
                        views.save(view);
                    }
                },
                () -> log.error("No read model row for key {}; usage at {} ignored", event.keyId(),
                        event.lastUsedAt()));
    }

    @ResetHandler
    void onReset() {
        views.deleteAllInBatch();
    }

    private void change(UUID keyId, long sequence, Instant at, Consumer<ApiKeyView> change) {
        views.findById(keyId).ifPresentOrElse(
                view -> {
                    if (!view.hasApplied(sequence)) {
                        change.accept(view);
                        view.applied(sequence, at);
                        views.save(view);
                    }
                },
                // Events of one key arrive in order, so this means the store lost the creation.
                () -> log.error("No read model row for key {}; event {} ignored", keyId, sequence));
    }
}

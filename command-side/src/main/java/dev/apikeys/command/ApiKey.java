package dev.apikeys.command;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;
import static org.axonframework.modelling.command.AggregateLifecycle.createNew;

import dev.apikeys.command.quota.KeyQuota;
import dev.apikeys.events.ApiKeyCreated;
import dev.apikeys.events.ApiKeyDeleted;
import dev.apikeys.events.ApiKeyDisabled;
import dev.apikeys.events.ApiKeyEnabled;
import dev.apikeys.events.ApiKeyRotated;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

/**
 * One API key. Command handlers check the rules and apply events; event sourcing handlers only
 * record state. The quota and the clock arrive as handler parameters (Spring beans).
 */
@Aggregate
class ApiKey {

    @AggregateIdentifier
    private UUID keyId;
    private String userId;
    private String organizationId;
    private String name;
    private String keyPrefix;
    private List<String> scopes;
    private Instant expiresAt;
    /** The expiry the key was issued with, which a rotation's grace period leaves alone. */
    private Instant issuedExpiresAt;
    private Instant createdAt;
    private Instant updatedAt;
    private boolean disabled;
    private boolean deleted;

    ApiKey() {
        // Axon rebuilds the key from its events.
    }

    @CommandHandler
    ApiKey(CreateApiKey command, KeyQuota quota, Clock clock) {
        quota.reserve(command.userId());
        apply(new ApiKeyCreated(command.keyId(), command.userId(), command.organizationId(), command.name(),
                command.keyPrefix(), command.keyHash(), command.scopes(), command.expiresAt(), clock.instant(), null));
    }

    /** A key issued by another key's rotation, in the same unit of work. */
    private ApiKey(ApiKeyCreated issued) {
        apply(issued);
    }

    @CommandHandler
    ApiKeyState handle(ToggleApiKey command, Clock clock) {
        requireLiveKeyOf(command.userId());
        if (disabled) {
            apply(new ApiKeyEnabled(keyId, userId, clock.instant()));
        } else {
            apply(new ApiKeyDisabled(keyId, userId, clock.instant()));
        }
        return state();
    }

    @CommandHandler
    void handle(DeleteApiKey command, KeyQuota quota, Clock clock) {
        requireLiveKeyOf(command.userId());
        quota.release(userId);
        apply(new ApiKeyDeleted(keyId, userId, clock.instant()));
    }

    /**
     * Issues the new key as a copy of this one (same owner, organization, name, scopes and the
     * expiry this key was issued with, also when it is rotated again within its grace period), and
     * cuts this key's life short to the grace period. The old key is not deleted, so the new one
     * counts against the quota too.
     *
     * @return the new key
     */
    @CommandHandler
    ApiKeyState handle(RotateApiKey command, KeyQuota quota, Clock clock) throws Exception {
        requireLiveKeyOf(command.userId());
        Instant now = clock.instant();
        if (disabled) {
            throw new ApiKeyNotRotatable(ApiKeyNotRotatable.Reason.DISABLED);
        }
        if (expiresAt != null && !expiresAt.isAfter(now)) {
            throw new ApiKeyNotRotatable(ApiKeyNotRotatable.Reason.EXPIRED);
        }
        quota.reserve(userId);
        Instant endOfGrace = now.plus(command.gracePeriod());
        Instant oldKeyExpiresAt = expiresAt != null && expiresAt.isBefore(endOfGrace) ? expiresAt : endOfGrace;
        ApiKeyCreated issued = new ApiKeyCreated(command.newKeyId(), userId, organizationId, name,
                command.newKeyPrefix(), command.newKeyHash(), scopes, issuedExpiresAt, now, keyId);
        apply(new ApiKeyRotated(keyId, userId, command.newKeyId(), oldKeyExpiresAt, now));
        return createNew(ApiKey.class, () -> new ApiKey(issued)).invoke(ApiKey::state);
    }

    private void requireLiveKeyOf(String callerId) {
        if (deleted || !userId.equals(callerId)) {
            throw new ApiKeyNotFound();
        }
    }

    private ApiKeyState state() {
        return new ApiKeyState(keyId, userId, organizationId, name, keyPrefix, scopes, expiresAt, createdAt,
                updatedAt, disabled);
    }

    @EventSourcingHandler
    void on(ApiKeyCreated event) {
        keyId = event.keyId();
        userId = event.userId();
        organizationId = event.organizationId();
        name = event.name();
        keyPrefix = event.keyPrefix();
        scopes = event.scopes();
        expiresAt = event.expiresAt();
        issuedExpiresAt = event.expiresAt();
        createdAt = event.createdAt();
        updatedAt = event.createdAt();
    }

    @EventSourcingHandler
    void on(ApiKeyDisabled event) {
        disabled = true;
        updatedAt = event.disabledAt();
    }

    @EventSourcingHandler
    void on(ApiKeyEnabled event) {
        disabled = false;
        updatedAt = event.enabledAt();
    }

    @EventSourcingHandler
    void on(ApiKeyRotated event) {
        expiresAt = event.expiresAt();
        updatedAt = event.rotatedAt();
    }

    @EventSourcingHandler
    void on(ApiKeyDeleted event) {
        deleted = true;
        updatedAt = event.deletedAt();
    }
}

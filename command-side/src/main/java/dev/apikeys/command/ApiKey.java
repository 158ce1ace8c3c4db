package dev.apikeys.command;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;
import static org.axonframework.modelling.command.AggregateLifecycle.createNew;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import dev.apikeys.command.quota.KeyQuota;
import dev.apikeys.command.usage.LatestUsage;
import dev.apikeys.events.ApiKeyCreated;
import dev.apikeys.events.ApiKeyDeleted;
import dev.apikeys.events.ApiKeyDisabled;
import dev.apikeys.events.ApiKeyEnabled;
import dev.apikeys.events.ApiKeyEvent;
import dev.apikeys.events.ApiKeyRotated;
import dev.apikeys.events.ApiKeyUpdated;
import dev.apikeys.events.Credits;
import dev.apikeys.events.KeySettings;
import dev.apikeys.events.KeyState;
import dev.apikeys.events.RateLimit;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

/**
 * One API key. Command handlers check the rules and apply events; the event sourcing handler only
 * folds them into the key's {@link KeyState}. The quota and the clock arrive as handler parameters
 * (Spring beans).
 */
@Aggregate(commandTargetResolver = "keyCommandTargetResolver", snapshotTriggerDefinition = "apiKeySnapshots")
// A snapshot is the key's fields as they are, written and read by the snapshot serializer (Jackson).
@JsonAutoDetect(fieldVisibility = Visibility.ANY, getterVisibility = Visibility.NONE,
        isGetterVisibility = Visibility.NONE)
class ApiKey {

    @AggregateIdentifier
    private UUID keyId;
    private KeyState state = KeyState.NONE;

    ApiKey() {
        // Axon rebuilds the key from its events.
    }

    @CommandHandler
    ApiKey(CreateApiKey command, KeyQuota quota, Clock clock) {
        quota.reserve(command.userId());
        Instant now = clock.instant();
        KeySettings settings = command.settings();
        Credits credits = settings.credits();
        apply(new ApiKeyCreated(command.keyId(), command.userId(), command.organizationId(), command.name(),
                command.keyPrefix(), command.keyHash(), command.scopes(), command.expiresAt(), now, null,
                credits == null ? settings : settings.withCredits(Credits.granted(credits.remaining(), credits.refill(),
                        now))));
    }

    /** A key issued by another key's rotation, in the same unit of work. */
    private ApiKey(ApiKeyCreated issued) {
        apply(issued);
    }

    @CommandHandler
    KeyState handle(ToggleApiKey command, Clock clock) {
        requireLiveKeyOf(command.userId());
        if (state.disabled()) {
            apply(new ApiKeyEnabled(keyId, state.userId(), clock.instant()));
        } else {
            apply(new ApiKeyDisabled(keyId, state.userId(), clock.instant()));
        }
        return state;
    }

    /** One event naming what changed, or none when nothing did. */
    @CommandHandler
    KeyState handle(UpdateApiKey command, Clock clock) {
        requireLiveKeyOf(command.userId());
        Set<String> members = command.members();
        String name = members.contains(UpdateApiKey.NAME) ? command.name() : state.name();
        List<String> scopes = members.contains(UpdateApiKey.SCOPES) ? command.scopes() : state.scopes();
        KeySettings settings = state.settings();
        String metadata = members.contains(UpdateApiKey.METADATA)
                ? KeyMetadata.merge(settings.metadata(), command.metadataPatch())
                : settings.metadata();
        if (metadata != null && !KeyMetadata.fits(metadata)) {
            throw new MetadataTooLarge();
        }
        List<String> allowedCidrs = members.contains(UpdateApiKey.ALLOWED_CIDRS)
                ? command.allowedCidrs()
                : settings.allowedCidrs();
        RateLimit rateLimit = settings.rateLimit();
        if (members.contains(UpdateApiKey.RATE_LIMIT)) {
            rateLimit = command.rateLimit() == null ? null : command.rateLimit().over(rateLimit);
        }
        Instant now = clock.instant();
        Credits credits = settings.credits();
        if (members.contains(UpdateApiKey.CREDITS)) {
            credits = command.credits() == null ? null : command.credits().over(credits, now);
        }
        List<String> changed = new ArrayList<>();
        if (!name.equals(state.name())) {
            changed.add(UpdateApiKey.NAME);
        }
        if (!scopes.equals(state.scopes())) {
            changed.add(UpdateApiKey.SCOPES);
        }
        if (!Objects.equals(metadata, settings.metadata())) {
            changed.add(UpdateApiKey.METADATA);
        }
        if (!Objects.equals(allowedCidrs, settings.allowedCidrs())) {
            changed.add(UpdateApiKey.ALLOWED_CIDRS);
        }
        if (!Objects.equals(rateLimit, settings.rateLimit())) {
            changed.add(UpdateApiKey.RATE_LIMIT);
        }
        if (!Objects.equals(credits, settings.credits())) {
            changed.add(UpdateApiKey.CREDITS);
        }
        if (!changed.isEmpty()) {
            apply(new ApiKeyUpdated(keyId, state.userId(), changed, name, scopes,
                    new KeySettings(metadata, allowedCidrs, rateLimit, credits), now));
        }
        return state;
    }

    @CommandHandler
    void handle(DeleteApiKey command, KeyQuota quota, Clock clock) {
        requireLiveKeyOf(command.userId());
        quota.release(state.userId());
        apply(new ApiKeyDeleted(keyId, state.userId(), clock.instant()));
    }

    /**
     * Issues the new key as a copy of this one (same owner, organization, name, scopes, settings and
     * the expiry this key was issued with, also when it is rotated again within its grace period), and
     * cuts this key's life short to the grace period. The old key is not deleted, so the new one
     * counts against the quota too.
     *
     * @return the new key
     */
    @CommandHandler
    KeyState handle(RotateApiKey command, KeyQuota quota, Clock clock, LatestUsage usage) throws Exception {
        requireLiveKeyOf(command.userId());
        Instant now = clock.instant();
        if (state.disabled()) {
            throw new ApiKeyNotRotatable(ApiKeyNotRotatable.Reason.DISABLED);
        }
        if (state.isExpiredAt(now)) {
            throw new ApiKeyNotRotatable(ApiKeyNotRotatable.Reason.EXPIRED);
        }
        quota.reserve(state.userId());
        Instant endOfGrace = now.plus(command.gracePeriod());
        Instant expiresAt = state.expiresAt();
        Instant oldKeyExpiresAt = expiresAt != null && expiresAt.isBefore(endOfGrace) ? expiresAt : endOfGrace;
        ApiKeyCreated issued = new ApiKeyCreated(command.newKeyId(), state.userId(), state.organizationId(),
                state.name(), command.newKeyPrefix(), command.newKeyHash(), state.scopes(), state.issuedExpiresAt(),
                now, keyId, settingsOfTheNewKey(usage, now));
        apply(new ApiKeyRotated(keyId, state.userId(), command.newKeyId(), oldKeyExpiresAt, now));
        return createNew(ApiKey.class, () -> new ApiKey(issued)).invoke(key -> key.state);
    }

    /** This key's, but its credits: a grant of what this key has left of them, as last recorded. */
    private KeySettings settingsOfTheNewKey(LatestUsage usage, Instant now) {
        Credits credits = state.settings().credits();
        if (credits == null) {
            return state.settings();
        }
        Credits left = usage.of(state).settings().credits().at(now);
        return state.settings().withCredits(Credits.granted(left.remaining(), left.refill(), now));
    }

    private void requireLiveKeyOf(String callerId) {
        if (state.deleted() || !state.userId().equals(callerId)) {
            throw new ApiKeyNotFound();
        }
    }

    /** The key's own stream arrives whole and in order: each event is the one after the last. */
    @EventSourcingHandler
    void on(ApiKeyEvent event) {
        keyId = event.keyId();
        state = state.apply(event, state.position().lifecycle() + 1);
    }
}

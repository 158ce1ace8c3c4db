package dev.apikeys.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.axonframework.serialization.Revision;

/**
 * The owner changed some of the key's name, scopes and settings (a PATCH). Carries every one of
 * them as they stand after the change, and {@code changed}, the API names of those that differ
 * from before ({@code name}, {@code scopes}, {@code metadata}, {@code allowed_cidrs},
 * {@code rate_limit}, {@code credits}). The credits are a new grant when granted at
 * {@code updatedAt}; otherwise only their refill changed, and what is left of them stays as the
 * key's usage stream left it.
 */
@Revision("1")
public record ApiKeyUpdated(UUID keyId, String userId, List<String> changed, String name, List<String> scopes,
        KeySettings settings, Instant updatedAt) implements ApiKeyEvent {

    public ApiKeyUpdated {
        changed = List.copyOf(changed);
        scopes = List.copyOf(scopes);
    }

    @Override
    public Instant occurredAt() {
        return updatedAt;
    }

    @Override
    public String type() {
        return "apikey.updated";
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.updated(this);
    }
}

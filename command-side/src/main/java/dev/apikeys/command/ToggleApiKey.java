package dev.apikeys.command;

import java.util.UUID;

/** Flip the key between enabled and disabled, on behalf of {@code userId}. */
public record ToggleApiKey(UUID keyId, String userId) implements KeyCommand {
}

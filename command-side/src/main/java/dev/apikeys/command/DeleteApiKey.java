package dev.apikeys.command;

import java.util.UUID;

/** Soft-delete the key on behalf of {@code userId}: it takes no more commands, its events stay. */
public record DeleteApiKey(UUID keyId, String userId) implements KeyCommand {
}

package dev.apikeys.command;

import java.util.UUID;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Soft-delete the key on behalf of {@code userId}: it takes no more commands, its events stay. */
public record DeleteApiKey(@TargetAggregateIdentifier UUID keyId, String userId) {
}

package dev.apikeys.command;

import java.util.UUID;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Flip the key between enabled and disabled, on behalf of {@code userId}. */
public record ToggleApiKey(@TargetAggregateIdentifier UUID keyId, String userId) {
}

package dev.apikeys.query.processing;

import dev.apikeys.events.ApiKeyEvent;

/** An event with its number in its stream: the key's own stream, or for usage the key's usage stream. */
public record SequencedEvent(ApiKeyEvent event, long sequence) {
}

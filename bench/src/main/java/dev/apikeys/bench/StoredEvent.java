package dev.apikeys.bench;

import dev.apikeys.events.ApiKeyUsageStream;

/**
 * One event of {@code event_store.domain_event_entry}, as much of it as the drills check.
 *
 * @param aggregateId the key's id for its own events; its usage stream's for its usage facts
 * @param aggregateType {@code ApiKey} for a key's own (lifecycle) events
 * @param payloadType the event's class name, e.g. {@code dev.apikeys.events.ApiKeyDisabled}
 */
record StoredEvent(long globalIndex, String eventId, String aggregateId, long sequence, String aggregateType,
        String payloadType) {

    /** The type Axon stores the key aggregate's events under: its class's simple name. */
    private static final String LIFECYCLE = "ApiKey";

    /** The key the event is about, which is also the key of its audit record. */
    String keyId() {
        return ApiKeyUsageStream.keyIdOf(aggregateId);
    }

    boolean isLifecycle() {
        return LIFECYCLE.equals(aggregateType);
    }

    boolean is(Class<?> eventClass) {
        return eventClass.getName().equals(payloadType);
    }
}

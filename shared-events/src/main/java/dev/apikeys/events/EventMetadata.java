package dev.apikeys.events;

/** The metadata keys every event carries: who acted, and the request's correlation id. */
public final class EventMetadata {

    /** The user whose request caused the event. */
    public static final String ACTOR_ID = "actor_id";

    /** Ties the events of one request together. */
    public static final String CORRELATION_ID = "correlation_id";

    private EventMetadata() {
    }
}

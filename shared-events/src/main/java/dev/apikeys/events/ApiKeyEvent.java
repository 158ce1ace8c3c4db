package dev.apikeys.events;

import java.time.Instant;
import java.util.UUID;

/**
 * A fact about one API key. Sealed, and taken apart only through {@link Visitor}: a new kind of event
 * is a compile error wherever events are handled, until it is handled there too.
 */
public sealed interface ApiKeyEvent
        permits ApiKeyCreated, ApiKeyDisabled, ApiKeyEnabled, ApiKeyUpdated, ApiKeyRotated, ApiKeyDeleted,
        ApiKeyUsed, ApiKeyCreditsConsumed {

    UUID keyId();

    /** The key's owner. */
    String userId();

    /** When it happened, by the event's own time. */
    Instant occurredAt();

    /** Its type on the audit stream ({@code ce_type}) and in a key's history. */
    String type();

    <R> R accept(Visitor<R> visitor);

    /** One case per kind of event. */
    interface Visitor<R> {

        R created(ApiKeyCreated event);

        R disabled(ApiKeyDisabled event);

        R enabled(ApiKeyEnabled event);

        R updated(ApiKeyUpdated event);

        R rotated(ApiKeyRotated event);

        R deleted(ApiKeyDeleted event);

        R used(ApiKeyUsed event);

        R creditsConsumed(ApiKeyCreditsConsumed event);
    }
}

package dev.apikeys.events;

import java.util.UUID;

/**
 * Where a key's {@link ApiKeyUsed} facts are stored: a stream of their own next to the key's, with
 * aggregate identifier {@code <key id>/usage}. Usage is observed by the query side, not decided by
 * the key, so it stays out of the key's stream: a busy key's usage never lengthens what a command
 * on it has to load, nor races the owner's commands for the key's sequence numbers.
 */
public final class ApiKeyUsageStream {

    /** The aggregate type the usage streams are stored under. */
    public static final String TYPE = "ApiKeyUsage";

    private static final String SUFFIX = "/usage";

    private ApiKeyUsageStream() {
    }

    /** Whether the event lives in a key's usage stream rather than in the key's own. */
    public static boolean holds(ApiKeyEvent event) {
        return event instanceof ApiKeyUsed || event instanceof ApiKeyCreditsConsumed;
    }

    /** The aggregate identifier of the key's usage stream. */
    public static String of(UUID keyId) {
        return keyId + SUFFIX;
    }

    /**
     * The key a stream belongs to: the key itself for its own stream, the key it records for a usage
     * stream. Processors sequence a key's events by it, so usage and lifecycle stay in order.
     */
    public static String keyIdOf(String aggregateIdentifier) {
        return aggregateIdentifier.endsWith(SUFFIX)
                ? aggregateIdentifier.substring(0, aggregateIdentifier.length() - SUFFIX.length())
                : aggregateIdentifier;
    }
}

package dev.apikeys.command;

import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Change some of the key's members, on behalf of {@code userId}: those {@code members} names (by
 * their API names), to the values given; the others stay as they are.
 *
 * @param metadataPatch a JSON merge patch for the metadata: compact JSON of an object, or "null"
 * @param allowedCidrs null for anywhere
 * @param rateLimit merged into the key's; null removes it
 * @param credits merged into the key's; null removes them (unlimited)
 */
public record UpdateApiKey(UUID keyId, String userId, Set<String> members, String name, List<String> scopes,
        String metadataPatch, List<String> allowedCidrs, RateLimitPatch rateLimit, CreditsPatch credits)
        implements KeyCommand {

    public static final String NAME = "name";
    public static final String SCOPES = "scopes";
    public static final String METADATA = "metadata";
    public static final String ALLOWED_CIDRS = "allowed_cidrs";
    public static final String RATE_LIMIT = "rate_limit";
    public static final String CREDITS = "credits";

    public UpdateApiKey {
        members = Set.copyOf(members);
        scopes = scopes == null ? null : List.copyOf(scopes);
        allowedCidrs = allowedCidrs == null ? null : List.copyOf(allowedCidrs);
    }
}

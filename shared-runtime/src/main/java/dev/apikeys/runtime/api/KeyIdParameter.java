package dev.apikeys.runtime.api;

import dev.apikeys.runtime.problem.InvalidRequest;
import java.util.UUID;
import java.util.regex.Pattern;

/** The {@code {id}} of a key's path, checked the same way by both sides. */
public final class KeyIdParameter {

    /** Canonical form only: UUID.fromString alone would also take "1-2-3-4-5". */
    private static final Pattern CANONICAL_UUID =
            Pattern.compile("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");

    private KeyIdParameter() {
    }

    /** @throws InvalidRequest naming field {@code id} when it is not a canonical UUID */
    public static UUID parse(String id) {
        if (!CANONICAL_UUID.matcher(id).matches()) {
            throw new InvalidRequest("id", "must be a UUID like 123e4567-e89b-12d3-a456-426614174000");
        }
        return UUID.fromString(id);
    }
}

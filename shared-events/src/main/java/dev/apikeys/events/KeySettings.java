package dev.apikeys.events;

import java.util.List;

/**
 * What the owner set on a key beside its name and scopes; each null when unset.
 *
 * @param metadata a JSON object, in its compact form, that verification hands back with the key
 * @param allowedCidrs the networks verification accepts the key from, as the owner wrote them (a
 *        bare address is one host); null for anywhere
 * @param rateLimit null for none
 */
public record KeySettings(String metadata, List<String> allowedCidrs, RateLimit rateLimit) {

    public static final KeySettings NONE = new KeySettings(null, null, null);

    public KeySettings {
        allowedCidrs = allowedCidrs == null ? null : List.copyOf(allowedCidrs);
    }
}

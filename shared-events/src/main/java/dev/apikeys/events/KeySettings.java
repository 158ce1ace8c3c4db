package dev.apikeys.events;

import java.util.List;

/**
 * What the owner set on a key beside its name and scopes; each null when unset.
 *
 * @param metadata a JSON object, in its compact form, that verification hands back with the key
 * @param allowedCidrs the networks verification accepts the key from, as the owner wrote them (a
 *        bare address is one host); null for anywhere
 * @param rateLimit null for none
 * @param credits null for unlimited
 */
public record KeySettings(String metadata, List<String> allowedCidrs, RateLimit rateLimit, Credits credits) {

    public static final KeySettings NONE = new KeySettings(null, null, null, null);

    /** These settings with other credits. */
    public KeySettings withCredits(Credits other) {
        return new KeySettings(metadata, allowedCidrs, rateLimit, other);
    }

    public KeySettings {
        allowedCidrs = allowedCidrs == null ? null : List.copyOf(allowedCidrs);
    }
}

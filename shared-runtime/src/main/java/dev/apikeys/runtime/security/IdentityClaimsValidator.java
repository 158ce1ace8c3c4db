package dev.apikeys.runtime.security;

import java.util.Collection;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;

/**
 * The claims that become stored data must be text the service can keep as it is: {@code sub} (the
 * owner of keys) and each of {@code org_ids} at most {@value #MAX_LENGTH} characters (the width of
 * the owner and organization columns), no control characters (PostgreSQL refuses a NUL) and no
 * unpaired surrogates (which would be stored as "?", so two users could become one). A token whose
 * {@code org_ids} is not an array of strings, or whose {@code scope} is not a string, breaks the
 * claims as the README describes them too. Such a token is refused as invalid; nulls in
 * {@code org_ids} are ignored, as {@link Caller} ignores them.
 */
final class IdentityClaimsValidator implements OAuth2TokenValidator<Jwt> {

    static final int MAX_LENGTH = 255;
    static final String ORG_IDS = "org_ids";
    static final String SCOPE = "scope";

    @Override
    public OAuth2TokenValidatorResult validate(Jwt token) {
        if (!(token.getClaims().get(JwtClaimNames.SUB) instanceof String subject) || !isStorable(subject)) {
            return invalid(JwtClaimNames.SUB);
        }
        Object organizations = token.getClaims().get(ORG_IDS);
        if (organizations != null && !(organizations instanceof Collection<?> ids
                && ids.stream().allMatch(id -> id == null || id instanceof String text && isStorable(text)))) {
            return invalid(ORG_IDS);
        }
        Object scope = token.getClaims().get(SCOPE);
        if (scope != null && !(scope instanceof String)) {
            return invalid(SCOPE);
        }
        return OAuth2TokenValidatorResult.success();
    }

    private static boolean isStorable(String text) {
        if (text.codePointCount(0, text.length()) > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c)) {
                return false;
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /** Names the claim, never its value. */
    private static OAuth2TokenValidatorResult invalid(String claim) {
        return OAuth2TokenValidatorResult.failure(new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN,
                "The " + claim + " claim is not valid", null));
    }
}

package dev.apikeys.runtime.key;

import java.util.regex.Pattern;

/**
 * What a scope looks like: {@code resource:action} or {@code resource:*}.
 * Keys are created with such scopes and verification is asked for them.
 */
public final class ScopeFormat {

    /** As a string too, for the OpenAPI document. */
    public static final String REGEX = "^[a-z][a-z0-9_-]*:([a-z][a-z0-9_-]*|\\*)$";
    public static final Pattern PATTERN = Pattern.compile(REGEX);
    public static final int MAX_LENGTH = 64;
    public static final int MAX_COUNT = 50;

    private ScopeFormat() {
    }

    public static boolean isValid(String scope) {
        return scope.length() <= MAX_LENGTH && PATTERN.matcher(scope).matches();
    }
}

package dev.apikeys.query.verify;

import java.util.Collection;

/** When granted scopes meet required ones: {@code a:b} is met by {@code a:b} or {@code a:*}. */
final class Scopes {

    private static final String WILDCARD = "*";

    private Scopes() {
    }

    static boolean grant(Collection<String> granted, Collection<String> required) {
        return required.stream().allMatch(scope -> grant(granted, scope));
    }

    /** A required {@code a:*} asks for every action on {@code a}: only a granted {@code a:*} has that. */
    private static boolean grant(Collection<String> granted, String required) {
        if (granted.contains(required)) {
            return true;
        }
        String resource = required.substring(0, required.indexOf(':'));
        return granted.contains(resource + ":" + WILDCARD);
    }
}

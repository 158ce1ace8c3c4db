package dev.apikeys.runtime.security;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * Who is calling, as the bearer token says: {@code sub} is the user, {@code org_ids} the
 * organizations they belong to, {@code scope} the service rights they hold. Controllers take it as
 * a handler parameter.
 */
public record Caller(String userId, Set<String> organizationIds, Set<String> scopes) {

    public Caller {
        organizationIds = Set.copyOf(organizationIds);
        scopes = Set.copyOf(scopes);
    }

    public static Caller from(Jwt jwt) {
        List<String> orgIds = jwt.getClaimAsStringList("org_ids");
        String scope = jwt.getClaimAsString("scope");
        return new Caller(
                jwt.getSubject(),
                orgIds == null ? Set.of() : orgIds.stream().filter(Objects::nonNull).collect(Collectors.toSet()),
                // A token may repeat a scope; Set.of would refuse that.
                scope == null || scope.isBlank() ? Set.of() : Set.copyOf(Arrays.asList(scope.trim().split("\\s+"))));
    }

    public boolean belongsTo(String organizationId) {
        // Immutable sets throw on contains(null).
        return organizationId != null && organizationIds.contains(organizationId);
    }

    public boolean holds(String scope) {
        return scope != null && scopes.contains(scope);
    }
}

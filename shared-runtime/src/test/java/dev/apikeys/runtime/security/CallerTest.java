package dev.apikeys.runtime.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.Jwt;

class CallerTest {

    private static Jwt.Builder token() {
        return Jwt.withTokenValue("t").header("alg", "HS256").subject("user-1")
                .issuedAt(Instant.now()).expiresAt(Instant.now().plusSeconds(60));
    }

    @Test
    void readsSubjectOrganizationsAndScopes() {
        Caller caller = Caller.from(token().claim("org_ids", List.of("org-a")).claim("scope", " a:b  c:d ").build());

        assertThat(caller.userId()).isEqualTo("user-1");
        assertThat(caller.organizationIds()).containsExactly("org-a");
        assertThat(caller.scopes()).containsExactlyInAnyOrder("a:b", "c:d");
        assertThat(caller.belongsTo("org-a")).isTrue();
        assertThat(caller.holds("c:d")).isTrue();
    }

    @Test
    void toleratesRepeatedScopesAndNullOrganizations() {
        Caller caller = Caller.from(token().claim("org_ids", Arrays.asList("org-a", null, "org-a"))
                .claim("scope", "a:b a:b").build());

        assertThat(caller.organizationIds()).containsExactly("org-a");
        assertThat(caller.scopes()).containsExactly("a:b");
    }

    @Test
    void absentClaimsMeanNoOrganizationsAndNoScopes() {
        Caller caller = Caller.from(token().build());

        assertThat(caller.organizationIds()).isEmpty();
        assertThat(caller.scopes()).isEmpty();
        assertThat(caller.belongsTo(null)).isFalse();
        assertThat(caller.holds(null)).isFalse();
    }
}

package dev.apikeys.runtime.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.Jwt;

class IdentityClaimsValidatorTest {

    private final IdentityClaimsValidator validator = new IdentityClaimsValidator();

    @Test
    void acceptsTextTheServiceCanStore() {
        assertThat(valid(Map.of("sub", "user-1"))).isTrue();
        assertThat(valid(Map.of("sub", "\ud83d\ude42".repeat(255), "org_ids", Arrays.asList("org-a", null),
                "scope", "apikeys:verify"))).isTrue();
    }

    @Test
    void refusesASubjectTheServiceCannotStore() {
        for (String subject : List.of("user-\u0000", "user-\u0001", "user-\ud800", "user-\udc00x", "u".repeat(256))) {
            assertThat(valid(Map.of("sub", subject))).as(subject).isFalse();
        }
    }

    @Test
    void refusesOrganizationsThatAreNoArrayOfStorableStrings() {
        for (Object organizations : List.of("org-a", List.of(7), List.of(Map.of("a", "b")), Map.of("a", "b"),
                List.of("org-\u0000"), List.of("o".repeat(256)))) {
            assertThat(valid(Map.of("sub", "user-1", "org_ids", organizations))).as("%s", organizations).isFalse();
        }
    }

    @Test
    void refusesAScopeThatIsNoString() {
        assertThat(valid(Map.of("sub", "user-1", "scope", List.of("apikeys:verify")))).isFalse();
    }

    private boolean valid(Map<String, Object> claims) {
        Jwt jwt = new Jwt("token", Instant.now(), Instant.now().plusSeconds(60), Map.of("alg", "HS256"), claims);
        return !validator.validate(jwt).hasErrors();
    }
}

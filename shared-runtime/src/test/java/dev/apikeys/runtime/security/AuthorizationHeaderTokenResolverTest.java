package dev.apikeys.runtime.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;

/** The token, or the refusal, is what Spring Security's own resolver gives for the same header. */
class AuthorizationHeaderTokenResolverTest {

    static List<String> headers() {
        return Arrays.asList(null, "", "Basic dXNlcjpwYXNz", "Bearer", "Bearer ", "bearer", "Bearer  abc", "Bearer abc",
                "bEaReR abc", "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1In0.c2ln-_~+/", "Bearer abc==", "Bearer abc=d",
                "Bearer ===", "Bearer abc ", "Bearer abc\n", "Bearer\tabc", "Bearerabc", "Bearer ab c", "Bearer abé",
                "Bearer abc,def", "Bearers abc", "Token abc");
    }

    @ParameterizedTest
    @MethodSource("headers")
    void answersAsSpringSecuritysResolver(String header) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/v1/apikeys/verify");
        if (header != null) {
            request.addHeader("Authorization", header);
        }

        assertThat(outcome(new AuthorizationHeaderTokenResolver(), request))
                .isEqualTo(outcome(new DefaultBearerTokenResolver(), request));
    }

    private static String outcome(BearerTokenResolver resolver, MockHttpServletRequest request) {
        Throwable refused = catchThrowable(() -> resolver.resolve(request));
        if (refused instanceof OAuth2AuthenticationException invalid) {
            return "refused: " + invalid.getError().getDescription();
        }
        assertThat(refused).isNull();
        return "token: " + resolver.resolve(request);
    }
}

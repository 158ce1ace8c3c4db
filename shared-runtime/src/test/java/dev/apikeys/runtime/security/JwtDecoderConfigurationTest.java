package dev.apikeys.runtime.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.security.oauth2.jwt.JwtDecoder;

class JwtDecoderConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(JwtDecoderConfiguration.class);

    @Test
    void secretShorterThan32BytesFailsStartupNamingTheProperty() {
        runner.withPropertyValues("apikeys.security.hmac-secret=" + "s".repeat(31)).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .hasMessageContaining("apikeys.security.hmac-secret")
                    .hasMessageContaining("at least 32 bytes")
                    .hasMessageNotContaining("sss");
        });
    }

    @Test
    void secretIsMeasuredInUtf8Bytes() {
        // 16 characters, 32 bytes.
        runner.withPropertyValues("apikeys.security.hmac-secret=" + "é".repeat(16))
                .run(context -> assertThat(context).hasSingleBean(JwtDecoder.class));
    }

    @Test
    void withoutSecretNoHmacDecoderIsDefined() {
        runner.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(JwtDecoder.class));
    }
}

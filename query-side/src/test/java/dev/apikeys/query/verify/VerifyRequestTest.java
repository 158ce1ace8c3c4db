package dev.apikeys.query.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apikeys.runtime.problem.InvalidRequest;
import java.net.InetAddress;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VerifyRequestTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aKeyAloneAsksForNoScopes() throws Exception {
        VerifyRequest request = VerifyRequest.from(JSON.readTree("{\"key\": \"anything at all\"}"));

        assertThat(request.key()).isEqualTo("anything at all");
        assertThat(request.requiredScopes()).isEmpty();
    }

    @Test
    void requiredScopesAreKeptInOrderWithoutDuplicates() throws Exception {
        VerifyRequest request = VerifyRequest.from(JSON.readTree(
                "{\"key\": \"k\", \"required_scopes\": [\"models:read\", \"workflows:*\", \"models:read\"]}"));

        assertThat(request.requiredScopes()).containsExactly("models:read", "workflows:*");
    }

    @Test
    void nullRequiredScopesAreNone() throws Exception {
        assertThat(VerifyRequest.from(JSON.readTree("{\"key\": \"k\", \"required_scopes\": null}")).requiredScopes())
                .isEmpty();
    }

    @Test
    void anyStringIsAKeyToVerifyEvenAnEmptyOne() throws Exception {
        assertThat(VerifyRequest.from(JSON.readTree("{\"key\": \"\"}")).key()).isEmpty();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "{}                                                  | key",
            "{\"key\": null}                                     | key",
            "{\"key\": 42}                                       | key",
            "{\"key\": true}                                     | key",
            "{\"key\": [\"sk_x\"]}                               | key",
            "{\"key\": {\"value\": \"sk_x\"}}                    | key",
            "{\"key\": \"k\", \"required_scopes\": \"models:read\"} | required_scopes",
            "{\"key\": \"k\", \"required_scopes\": {}}            | required_scopes",
            "{\"key\": \"k\", \"required_scopes\": [1]}          | required_scopes[0]",
            "{\"key\": \"k\", \"required_scopes\": [null]}       | required_scopes[0]",
            "{\"key\": \"k\", \"required_scopes\": [\"Models:Read\"]} | required_scopes[0]",
            "{\"key\": \"k\", \"required_scopes\": [\"models\"]}  | required_scopes[0]",
            "{\"key\": \"k\", \"required_scopes\": [\"a:b\", \"models:\"]} | required_scopes[1]",
            "[]                                                  | body",
            "\"sk_x\"                                            | body",
            "null                                                | body",
    })
    void invalidFieldsAreNamed(String body, String field) throws Exception {
        assertThat(fieldsOf(JSON.readTree(body))).contains(field);
    }

    @Test
    void noBodyIsInvalid() {
        assertThat(fieldsOf(null)).containsExactly("body");
    }

    @Test
    void aScopeLongerThan64CharactersIsInvalid() throws Exception {
        String scope = "a".repeat(60) + ":read";

        assertThat(fieldsOf(JSON.readTree("{\"key\": \"k\", \"required_scopes\": [\"" + scope + "\"]}")))
                .containsExactly("required_scopes[0]");
    }

    @Test
    void fiftyScopesAreAllowedAndFiftyOneAreNot() throws Exception {
        assertThat(VerifyRequest.from(JSON.readTree(withScopes(50))).requiredScopes()).hasSize(50);
        assertThat(fieldsOf(JSON.readTree(withScopes(51)))).containsExactly("required_scopes");
    }

    @Test
    void everyWrongFieldIsReportedAtOnce() throws Exception {
        assertThat(fieldsOf(JSON.readTree("{\"key\": 1, \"required_scopes\": [\"x\"]}")))
                .containsExactly("key", "required_scopes[0]");
    }

    @Test
    void clientIpAndCostAreReadWithCostOneWhenAbsent() throws Exception {
        VerifyRequest request = VerifyRequest.from(JSON.readTree("{\"key\": \"k\", \"client_ip\": \"2001:db8::1\", \"cost\": 0}"));
        assertThat(request.clientIp()).isEqualTo(InetAddress.getByName("2001:db8::1"));
        assertThat(request.cost()).isZero();

        VerifyRequest plain = VerifyRequest.from(JSON.readTree("{\"key\": \"k\", \"client_ip\": null}"));
        assertThat(plain.clientIp()).isNull();
        assertThat(plain.cost()).isEqualTo(1);
    }

    @Test
    void aBadClientIpOrCostIsNamed() throws Exception {
        assertThat(fieldsOf(JSON.readTree("{\"key\": \"k\", \"client_ip\": \"gateway.internal\", \"cost\": 1001}")))
                .containsExactly("client_ip", "cost");
        assertThat(fieldsOf(JSON.readTree("{\"key\": \"k\", \"client_ip\": 10, \"cost\": -1}")))
                .containsExactly("client_ip", "cost");
        assertThat(fieldsOf(JSON.readTree("{\"key\": \"k\", \"cost\": 1.5}"))).containsExactly("cost");
    }

    @Test
    void theKeyNeverShowsInToString() {
        assertThat(new VerifyRequest("sk_secret", List.of(), null, 1).toString()).doesNotContain("sk_secret");
    }

    private static String withScopes(int count) {
        return "{\"key\": \"k\", \"required_scopes\": ["
                + String.join(",", IntStream.range(0, count).mapToObj(i -> "\"s" + i + ":read\"").toList()) + "]}";
    }

    private static List<String> fieldsOf(JsonNode body) {
        InvalidRequest invalid = catchThrowableOfType(InvalidRequest.class, () -> VerifyRequest.from(body));
        assertThat(invalid).as("an invalid request").isNotNull();
        @SuppressWarnings("unchecked")
        List<InvalidRequest.FieldError> errors =
                (List<InvalidRequest.FieldError>) invalid.getBody().getProperties().get("errors");
        return errors.stream().map(InvalidRequest.FieldError::field).toList();
    }
}

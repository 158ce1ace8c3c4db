package dev.apikeys.command.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apikeys.runtime.problem.InvalidRequest;
import dev.apikeys.runtime.problem.InvalidRequest.FieldError;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RotateKeyRequestTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<Arguments> validRequests() {
        return Stream.of(
                Arguments.of("{}", Duration.ZERO),
                Arguments.of("null", Duration.ZERO),
                Arguments.of("{\"grace_period_seconds\":null}", Duration.ZERO),
                Arguments.of("{\"grace_period_seconds\":0}", Duration.ZERO),
                Arguments.of("{\"grace_period_seconds\":90}", Duration.ofSeconds(90)),
                Arguments.of("{\"grace_period_seconds\":604800}", Duration.ofDays(7)),
                Arguments.of("{\"grace_period_seconds\":60,\"key_id\":\"x\",\"expires_at\":\"2000-01-01T00:00:00Z\"}",
                        Duration.ofSeconds(60)));
    }

    @ParameterizedTest
    @MethodSource("validRequests")
    void acceptsAnIntegerGracePeriodAndIgnoresUnknownFields(String body, Duration expected)
            throws JsonProcessingException {
        assertThat(RotateKeyRequest.from(JSON.readTree(body))).isEqualTo(new RotateKeyRequest(expected));
    }

    @Test
    void noBodyMeansNoGracePeriod() {
        assertThat(RotateKeyRequest.from(null)).isEqualTo(new RotateKeyRequest(Duration.ZERO));
    }

    static Stream<Arguments> invalidRequests() {
        FieldError notAnInteger = new FieldError("grace_period_seconds", "must be an integer");
        FieldError outOfRange = new FieldError("grace_period_seconds", "must be between 0 and 604800");
        FieldError notAnObject = new FieldError("body", "must be a JSON object");
        return Stream.of(
                Arguments.of("{\"grace_period_seconds\":1.5}", notAnInteger),
                Arguments.of("{\"grace_period_seconds\":10.0}", notAnInteger),
                Arguments.of("{\"grace_period_seconds\":\"10\"}", notAnInteger),
                Arguments.of("{\"grace_period_seconds\":true}", notAnInteger),
                Arguments.of("{\"grace_period_seconds\":[10]}", notAnInteger),
                Arguments.of("{\"grace_period_seconds\":-1}", outOfRange),
                Arguments.of("{\"grace_period_seconds\":604801}", outOfRange),
                Arguments.of("{\"grace_period_seconds\":99999999999999999999}", outOfRange),
                Arguments.of("[]", notAnObject),
                Arguments.of("3600", notAnObject),
                Arguments.of("\"grace\"", notAnObject));
    }

    @ParameterizedTest
    @MethodSource("invalidRequests")
    void rejectsAnythingButAnIntegerInRange(String body, FieldError expected) {
        assertThatThrownBy(() -> RotateKeyRequest.from(JSON.readTree(body)))
                .isInstanceOfSatisfying(InvalidRequest.class, e ->
                        assertThat(e.getBody().getProperties()).containsEntry("errors", List.of(expected)));
    }
}

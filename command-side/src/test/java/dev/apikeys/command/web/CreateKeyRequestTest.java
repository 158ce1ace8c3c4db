package dev.apikeys.command.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apikeys.events.Credits;
import dev.apikeys.events.RateLimit;
import dev.apikeys.events.Refill;
import dev.apikeys.runtime.problem.InvalidRequest;
import dev.apikeys.runtime.problem.InvalidRequest.FieldError;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CreateKeyRequestTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<Arguments> validRequests() {
        return Stream.of(
                Arguments.of("{}", new CreateKeyRequest("", List.of(), null, 0, null, null, null, null)),
                Arguments.of("{\"name\":null,\"scopes\":null,\"organization_id\":null,\"expires_in_days\":null}",
                        new CreateKeyRequest("", List.of(), null, 0, null, null, null, null)),
                Arguments.of("{\"name\":\"  ci deploy \\n\"}", new CreateKeyRequest("ci deploy", List.of(), null, 0, null, null, null, null)),
                Arguments.of("{\"name\":\"" + "é".repeat(100) + "\"}",
                        new CreateKeyRequest("é".repeat(100), List.of(), null, 0, null, null, null, null)),
                Arguments.of("{\"name\":\"   " + "n".repeat(100) + "   \"}",
                        new CreateKeyRequest("n".repeat(100), List.of(), null, 0, null, null, null, null)),
                Arguments.of("{\"name\":\"\\ud83d\\ude42\"}", new CreateKeyRequest("\ud83d\ude42", List.of(), null, 0, null, null, null, null)),
                Arguments.of("{\"scopes\":[\"models:read\",\"workflows:*\",\"models:read\",\"a_b-c:d-e_f9\"]}",
                        new CreateKeyRequest("", List.of("models:read", "workflows:*", "a_b-c:d-e_f9"), null, 0, null, null, null, null)),
                Arguments.of("{\"organization_id\":\"org-1\"}", new CreateKeyRequest("", List.of(), "org-1", 0, null, null, null, null)),
                Arguments.of("{\"expires_in_days\":0}", new CreateKeyRequest("", List.of(), null, 0, null, null, null, null)),
                Arguments.of("{\"expires_in_days\":3650}", new CreateKeyRequest("", List.of(), null, 3650, null, null, null, null)),
                Arguments.of("{\"user_id\":\"mallory\",\"id\":\"x\",\"disabled\":true,\"extra\":{}}",
                        new CreateKeyRequest("", List.of(), null, 0, null, null, null, null)),
                Arguments.of("{\"metadata\": {\"team\": \"ci\", \"n\": [1, 2]}, \"allowed_cidrs\": [\"10.0.0.0/8\","
                                + " \"192.168.1.7\", \"2001:db8::/32\", \"::1\", \"10.0.0.0/8\"]}",
                        new CreateKeyRequest("", List.of(), null, 0, "{\"team\":\"ci\",\"n\":[1,2]}",
                                List.of("10.0.0.0/8", "192.168.1.7", "2001:db8::/32", "::1"), null, null)),
                Arguments.of("{\"rate_limit\": {\"limit\": 1000000, \"duration_seconds\": 86400}}",
                        new CreateKeyRequest("", List.of(), null, 0, null, null, new RateLimit(1_000_000, 86_400), null)),
                Arguments.of("{\"credits\": {\"remaining\": 0, \"refill\": {\"amount\": 500, \"interval\": \"monthly\"}}}",
                        new CreateKeyRequest("", List.of(), null, 0, null, null, null,
                                new Credits(0, new Refill(500, Refill.Interval.MONTHLY), null, 0))),
                Arguments.of("{\"credits\": {\"remaining\": 1000000000}}",
                        new CreateKeyRequest("", List.of(), null, 0, null, null, null,
                                new Credits(1_000_000_000, null, null, 1_000_000_000))),
                Arguments.of("{\"metadata\": {}, \"allowed_cidrs\": [], \"rate_limit\": null, \"credits\": null}",
                        new CreateKeyRequest("", List.of(), null, 0, "{}", List.of(), null, null)),
                Arguments.of("{\"metadata\": {\"k\": \"" + "v".repeat(1016) + "\"}}",
                        new CreateKeyRequest("", List.of(), null, 0, "{\"k\":\"" + "v".repeat(1016) + "\"}", null, null, null)));
    }

    @ParameterizedTest
    @MethodSource("validRequests")
    void acceptsAndNormalises(String body, CreateKeyRequest expected) throws JsonProcessingException {
        assertThat(CreateKeyRequest.from(JSON.readTree(body))).isEqualTo(expected);
    }

    @Test
    void noBodyIsAnEmptyRequest() {
        assertThat(CreateKeyRequest.from(null)).isEqualTo(new CreateKeyRequest("", List.of(), null, 0, null, null, null, null));
    }

    @Test
    void fiftyDistinctScopesAreAllowedEvenWithDuplicates() throws JsonProcessingException {
        List<String> scopes = IntStream.range(0, 50).mapToObj(i -> "s" + i + ":read").toList();
        String body = JSON.writeValueAsString(Map.of("scopes",
                Stream.concat(scopes.stream(), scopes.stream()).toList()));

        assertThat(CreateKeyRequest.from(JSON.readTree(body)).scopes()).isEqualTo(scopes);
    }

    static Stream<Arguments> invalidRequests() {
        return Stream.of(
                Arguments.of("{\"name\":42}", List.of(new FieldError("name", "must be a string"))),
                Arguments.of("{\"name\":\"" + "n".repeat(101) + "\"}",
                        List.of(new FieldError("name", "must be at most 100 characters"))),
                Arguments.of("{\"name\":\"a\\u0000b\"}",
                        List.of(new FieldError("name", "must not contain control characters"))),
                Arguments.of("{\"name\":\"a\\u0085b\"}",
                        List.of(new FieldError("name", "must not contain control characters"))),
                Arguments.of("{\"name\":\"a\\ud800b\"}",
                        List.of(new FieldError("name", "must not contain unpaired surrogates"))),
                Arguments.of("{\"name\":\"\\udc00\\ud800\"}",
                        List.of(new FieldError("name", "must not contain unpaired surrogates"))),
                Arguments.of("{\"scopes\":\"models:read\"}",
                        List.of(new FieldError("scopes", "must be an array of strings"))),
                Arguments.of("{\"scopes\":[\"models:read\",7,\"Models:read\",\"models\",\"models:\",\"models:re ad\",\":read\"]}",
                        List.of(new FieldError("scopes[1]", "must be a string"),
                                new FieldError("scopes[2]", "must look like resource:action or resource:*"),
                                new FieldError("scopes[3]", "must look like resource:action or resource:*"),
                                new FieldError("scopes[4]", "must look like resource:action or resource:*"),
                                new FieldError("scopes[5]", "must look like resource:action or resource:*"),
                                new FieldError("scopes[6]", "must look like resource:action or resource:*"))),
                Arguments.of("{\"scopes\":[\"a:" + "b".repeat(63) + "\"]}",
                        List.of(new FieldError("scopes[0]", "must be at most 64 characters"))),
                Arguments.of("{\"organization_id\":[\"org-1\"]}",
                        List.of(new FieldError("organization_id", "must be a string"))),
                Arguments.of("{\"expires_in_days\":\"30\"}",
                        List.of(new FieldError("expires_in_days", "must be an integer"))),
                Arguments.of("{\"expires_in_days\":30.5}",
                        List.of(new FieldError("expires_in_days", "must be an integer"))),
                Arguments.of("{\"expires_in_days\":30.0}",
                        List.of(new FieldError("expires_in_days", "must be an integer"))),
                Arguments.of("{\"expires_in_days\":true}",
                        List.of(new FieldError("expires_in_days", "must be an integer"))),
                Arguments.of("{\"expires_in_days\":-1}",
                        List.of(new FieldError("expires_in_days", "must be between 0 and 3650"))),
                Arguments.of("{\"expires_in_days\":3651}",
                        List.of(new FieldError("expires_in_days", "must be between 0 and 3650"))),
                Arguments.of("{\"expires_in_days\":99999999999999999999}",
                        List.of(new FieldError("expires_in_days", "must be between 0 and 3650"))),
                Arguments.of("{\"metadata\": [1]}",
                        List.of(new FieldError("metadata", "must be a JSON object or null"))),
                Arguments.of("{\"metadata\": {\"k\": \"" + "v".repeat(1017) + "\"}}",
                        List.of(new FieldError("metadata", "must be at most 1024 bytes as compact JSON"))),
                Arguments.of("{\"allowed_cidrs\": \"10.0.0.0/8\"}",
                        List.of(new FieldError("allowed_cidrs", "must be an array of CIDRs or null"))),
                Arguments.of("{\"allowed_cidrs\": [\"10.0.0.0/33\", \"example.com\", 7, \"1.2.3\", \"::/129\", \"10.0.0.0/08\"]}",
                        List.of(new FieldError("allowed_cidrs[0]",
                                        "must be an IPv4 or IPv6 address with a prefix length of 0 to 32"),
                                new FieldError("allowed_cidrs[1]", "must be an IPv4 or IPv6 address"),
                                new FieldError("allowed_cidrs[2]", "must be a string"),
                                new FieldError("allowed_cidrs[3]", "must be an IPv4 or IPv6 address"),
                                new FieldError("allowed_cidrs[4]",
                                        "must be an IPv4 or IPv6 address with a prefix length of 0 to 128"),
                                new FieldError("allowed_cidrs[5]",
                                        "must be an IPv4 or IPv6 address with a prefix length of 0 to 32"))),
                Arguments.of("{\"credits\": {\"refill\": null}}",
                        List.of(new FieldError("credits.remaining", "is required"))),
                Arguments.of("{\"credits\": {\"remaining\": -1, \"refill\": {\"amount\": 0, \"interval\": \"hourly\"},"
                                + " \"limit\": 3}}",
                        List.of(new FieldError("credits.limit", "is not a member of credits"),
                                new FieldError("credits.remaining", "must be an integer from 0 to 1000000000"),
                                new FieldError("credits.refill.amount", "must be an integer from 1 to 1000000000"),
                                new FieldError("credits.refill.interval", "must be daily or monthly"))),
                Arguments.of("{\"credits\": {\"remaining\": 1000000001, \"refill\": {\"interval\": \"daily\"}}}",
                        List.of(new FieldError("credits.remaining", "must be an integer from 0 to 1000000000"),
                                new FieldError("credits.refill.amount", "is required"))),
                Arguments.of("{\"credits\": 5}",
                        List.of(new FieldError("credits", "must be an object with remaining and refill, or null"))),
                Arguments.of("{\"rate_limit\": {\"limit\": 5}}",
                        List.of(new FieldError("rate_limit.duration_seconds", "is required"))),
                Arguments.of("{\"rate_limit\": {\"duration_seconds\": 5}}",
                        List.of(new FieldError("rate_limit.limit", "is required"))),
                Arguments.of("{\"rate_limit\": {\"limit\": 0, \"duration_seconds\": 86401, \"burst\": 3}}",
                        List.of(new FieldError("rate_limit.burst", "is not a member of a rate limit"),
                                new FieldError("rate_limit.limit", "must be an integer from 1 to 1000000"),
                                new FieldError("rate_limit.duration_seconds", "must be an integer from 1 to 86400"))),
                Arguments.of("{\"rate_limit\": {\"limit\": \"5\", \"duration_seconds\": 1.5}}",
                        List.of(new FieldError("rate_limit.limit", "must be an integer from 1 to 1000000"),
                                new FieldError("rate_limit.duration_seconds", "must be an integer from 1 to 86400"))),
                Arguments.of("{\"rate_limit\": 5}", List.of(new FieldError("rate_limit",
                        "must be an object with limit and duration_seconds, or null"))),
                Arguments.of("[]", List.of(new FieldError("body", "must be a JSON object"))),
                Arguments.of("\"name\"", List.of(new FieldError("body", "must be a JSON object"))),
                Arguments.of("{\"name\":false,\"scopes\":[\"x\"],\"organization_id\":1,\"expires_in_days\":-5}",
                        List.of(new FieldError("name", "must be a string"),
                                new FieldError("scopes[0]", "must look like resource:action or resource:*"),
                                new FieldError("organization_id", "must be a string"),
                                new FieldError("expires_in_days", "must be between 0 and 3650"))));
    }

    @ParameterizedTest
    @MethodSource("invalidRequests")
    void rejectsNamingEveryInvalidField(String body, List<FieldError> expected) {
        assertThatThrownBy(() -> CreateKeyRequest.from(JSON.readTree(body)))
                .isInstanceOfSatisfying(InvalidRequest.class, e ->
                        assertThat(e.getBody().getProperties()).containsEntry("errors", expected));
    }

    @Test
    void moreThanTwentyCidrsAreRejected() throws JsonProcessingException {
        String body = JSON.writeValueAsString(Map.of("allowed_cidrs",
                IntStream.range(0, 21).mapToObj(i -> "10.0.0." + i).toList()));

        assertThatThrownBy(() -> CreateKeyRequest.from(JSON.readTree(body)))
                .isInstanceOfSatisfying(InvalidRequest.class, e -> assertThat(e.getBody().getProperties())
                        .containsEntry("errors", List.of(new FieldError("allowed_cidrs", "must hold at most 20 CIDRs"))));
    }

    @Test
    void moreThanFiftyDistinctScopesAreRejected() throws JsonProcessingException {
        String body = JSON.writeValueAsString(Map.of("scopes",
                IntStream.range(0, 51).mapToObj(i -> "s" + i + ":read").toList()));

        assertThatThrownBy(() -> CreateKeyRequest.from(JSON.readTree(body)))
                .isInstanceOfSatisfying(InvalidRequest.class, e -> assertThat(e.getBody().getProperties())
                        .containsEntry("errors", List.of(new FieldError("scopes", "must hold at most 50 distinct scopes"))));
    }
}

package dev.apikeys.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.JWTClaimsSet;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The runtime over real HTTP (a real Tomcat, so its error page path is exercised too): who gets
 * in, what a controller sees of the caller, and that every failure is a problem document that
 * gives nothing away.
 */
@RuntimeSpringBootTest
class WebRuntimeTest {

    private static final String PROBLEM_JSON = "application/problem+json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    private final String userToken = TestTokens.valid("user-1", List.of("org-a", "org-b"), "models:read apikeys:verify");

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).timeout(Duration.ofSeconds(10));
    }

    private HttpRequest.Builder authorized(String path, String token) {
        return request(path).header("Authorization", "Bearer " + token);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.BodyPublisher json(String body) {
        return HttpRequest.BodyPublishers.ofString(body);
    }

    /** Asserts the response is a problem document for the status and hands back its fields. */
    private static JsonNode problem(HttpResponse<String> response, int status) throws IOException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith(PROBLEM_JSON));
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.path("type").isTextual()).isTrue();
        assertThat(problem.path("title").asText()).isNotBlank();
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        assertThat(problem.path("detail").asText()).isNotBlank();
        assertThat(response.body()).doesNotContain("Exception", "java.", "com.fasterxml", "springframework",
                "\tat ", "trace");
        return problem;
    }

    @Nested
    class Authentication {

        private void assertUnauthorized(HttpResponse<String> response) throws IOException {
            JsonNode problem = problem(response, 401);
            assertThat(problem.path("title").asText()).isEqualTo("Unauthorized");
            assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                    challenge -> assertThat(challenge).startsWith("Bearer"));
        }

        @Test
        void noTokenIsA401ChallengeWithAProblem() throws Exception {
            HttpResponse<String> response = send(request("/test/caller"));

            assertUnauthorized(response);
            assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        }

        @Test
        void expiredTokenIsRefusedWithoutEchoingIt() throws Exception {
            String expired = TestTokens.sign(TestTokens.claims("user-1")
                    .expirationTime(Date.from(Instant.now().minus(Duration.ofHours(1)))).build(), TestTokens.SECRET);

            HttpResponse<String> response = send(authorized("/test/caller", expired));

            assertUnauthorized(response);
            assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                    challenge -> assertThat(challenge).contains("error=\"invalid_token\""));
            assertThat(response.body()).doesNotContain(expired, expired.split("\\.")[1]);
        }

        @Test
        void aTokenExpiredLongerAgoThanTheClockSkewIsRefused() throws Exception {
            String expiredLongAgo = TestTokens.sign(TestTokens.claims("user-1")
                    .expirationTime(Date.from(Instant.now().minusSeconds(30))).build(), TestTokens.SECRET);
            String expiredJustNow = TestTokens.sign(TestTokens.claims("user-1")
                    .expirationTime(Date.from(Instant.now().minusSeconds(2))).build(), TestTokens.SECRET);

            assertUnauthorized(send(authorized("/test/caller", expiredLongAgo)));
            assertThat(send(authorized("/test/caller", expiredJustNow)).statusCode()).as("within the 10 s of skew")
                    .isEqualTo(200);
        }

        /** Each variant decodes to the same signed token, leniently. */
        @Test
        void aTokenIsAcceptedOnlyInItsExactCompactForm() throws Exception {
            String token = TestTokens.valid("user-1", List.of(), null);
            String[] parts = token.split("\\.");
            String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
            // 32 bytes of HS256 signature are 43 characters: the last one's two low bits are unused.
            char last = parts[2].charAt(parts[2].length() - 1);
            String unusedBitSet = parts[2].substring(0, parts[2].length() - 1)
                    + alphabet.charAt(alphabet.indexOf(last) ^ 1);
            List<String> variants = List.of(token + "=", token + "~~~", token + "==", token + "+",
                    parts[0] + "=." + parts[1] + "." + parts[2], parts[0] + "." + parts[1] + "." + unusedBitSet,
                    token + ".", "." + token);

            assertThat(send(authorized("/test/caller", token)).statusCode()).isEqualTo(200);
            for (String variant : variants) {
                HttpResponse<String> response = send(authorized("/test/caller", variant));

                assertThat(response.statusCode()).as(variant).isEqualTo(401);
                assertUnauthorized(response);
                assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                        challenge -> assertThat(challenge).contains("error=\"invalid_token\""));
            }
        }

        @Test
        void onlyTheScopeClaimGrantsServiceRights() throws Exception {
            String scp = TestTokens.sign(TestTokens.claims("ops").claim("scp", List.of("apikeys:admin")).build(),
                    TestTokens.SECRET);
            String authorities = TestTokens.sign(TestTokens.claims("ops")
                    .claim("authorities", List.of("SCOPE_apikeys:admin")).build(), TestTokens.SECRET);

            problem(send(authorized("/actuator/info", scp)), 403);
            problem(send(authorized("/actuator/info", authorities)), 403);
        }

        @Test
        void tokenSignedWithAnotherSecretIsRefused() throws Exception {
            String forged = TestTokens.sign(TestTokens.claims("user-1").build(), "another-secret-that-is-also-32-bytes-long");

            assertUnauthorized(send(authorized("/test/caller", forged)));
        }

        @Test
        void unsignedTokenIsRefused() throws Exception {
            String unsigned = TestTokens.unsigned(TestTokens.claims("user-1").build());

            assertUnauthorized(send(authorized("/test/caller", unsigned)));
        }

        @Test
        void tokenWithoutExpiryIsRefused() throws Exception {
            String endless = TestTokens.sign(new JWTClaimsSet.Builder().subject("user-1").build(), TestTokens.SECRET);

            assertUnauthorized(send(authorized("/test/caller", endless)));
        }

        @Test
        void tokenWithoutSubjectIsRefused() throws Exception {
            String anonymous = TestTokens.sign(TestTokens.claims(null).build(), TestTokens.SECRET);

            assertUnauthorized(send(authorized("/test/caller", anonymous)));
        }

        /** Stored as owner or organization, these would fail in PostgreSQL or change on the way in. */
        @Test
        void tokenWithIdentityClaimsTheServiceCannotStoreIsRefused() throws Exception {
            List<JWTClaimsSet> unstorable = List.of(
                    TestTokens.claims("user-\u0000").build(),
                    TestTokens.claims("u".repeat(256)).build(),
                    TestTokens.claims("user-1").claim("org_ids", List.of("org-\u0000")).build(),
                    TestTokens.claims("user-1").claim("org_ids", List.of("o".repeat(256))).build(),
                    TestTokens.claims("user-1").claim("org_ids", List.of(7)).build(),
                    TestTokens.claims("user-1").claim("org_ids", java.util.Map.of("org", "a")).build(),
                    TestTokens.claims("user-1").claim("scope", List.of("apikeys:verify")).build());

            List<String> tokens = new ArrayList<>(unstorable.stream().map(claims -> TestTokens.sign(claims, TestTokens.SECRET)).toList());
            // Escaped in the JSON: a serializer would write the surrogate itself, which UTF-8 cannot carry.
            tokens.add(TestTokens.signJson("{\"sub\":\"user-\\ud800\",\"exp\":" + Instant.now().plusSeconds(300).getEpochSecond() + "}",
                    TestTokens.SECRET));
            for (String token : tokens) {
                HttpResponse<String> response = send(authorized("/test/caller", token));

                assertThat(response.statusCode()).as("token %d", tokens.indexOf(token)).isEqualTo(401);
                assertUnauthorized(response);
                assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                        challenge -> assertThat(challenge).contains("error=\"invalid_token\""));
            }
            String longestStorable = TestTokens.sign(TestTokens.claims("\ud83d\ude42".repeat(255))
                    .claim("org_ids", java.util.Arrays.asList("org-a", null)).build(), TestTokens.SECRET);
            assertThat(send(authorized("/test/caller", longestStorable)).statusCode()).isEqualTo(200);
        }

        @Test
        void controllerSeesTheCallerOfTheToken() throws Exception {
            HttpResponse<String> response = send(authorized("/test/caller", userToken));

            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode caller = JSON.readTree(response.body());
            assertThat(caller.path("user_id").asText()).isEqualTo("user-1");
            assertThat(caller.path("organization_ids")).extracting(JsonNode::asText)
                    .containsExactlyInAnyOrder("org-a", "org-b");
            assertThat(caller.path("scopes")).extracting(JsonNode::asText)
                    .containsExactlyInAnyOrder("models:read", "apikeys:verify");
        }

        @Test
        void healthIsOpen() throws Exception {
            assertThat(send(request("/actuator/health")).statusCode()).isEqualTo(200);
        }

        @Test
        void otherActuatorEndpointsNeedTheAdminScope() throws Exception {
            String admin = TestTokens.valid("ops", List.of(), "apikeys:admin");

            assertUnauthorized(send(request("/actuator/info")));
            JsonNode forbidden = problem(send(authorized("/actuator/info", userToken)), 403);
            assertThat(forbidden.path("title").asText()).isEqualTo("Forbidden");
            assertThat(send(authorized("/actuator/info", admin)).statusCode()).isEqualTo(200);
        }

        @Test
        void verificationWithoutTheVerifyScopeIsA403ProblemWhateverTheBody() throws Exception {
            String withoutVerify = TestTokens.valid("user-2", List.of(), "models:read");

            for (String body : List.of("{\"key\": \"sk_x\"}", "not json", "")) {
                HttpResponse<String> response = send(authorized("/api/v1/apikeys/verify", withoutVerify)
                        .header("Content-Type", "application/json").POST(json(body)));

                problem(response, 403);
                assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                        challenge -> assertThat(challenge).startsWith("Bearer").contains("insufficient_scope"));
            }
            assertThat(send(authorized("/api/v1/apikeys/verify", userToken)
                    .header("Content-Type", "application/json").POST(json("{\"key\": \"sk_x\"}")))
                    .statusCode()).isEqualTo(204);
        }
    }

    @Nested
    class Problems {

        @Test
        void malformedJsonIsA400WithoutParserDetails() throws Exception {
            HttpResponse<String> response = send(authorized("/test/drafts", userToken)
                    .header("Content-Type", "application/json").POST(json("{\"name\": ")));

            JsonNode problem = problem(response, 400);
            assertThat(problem.path("title").asText()).isEqualTo("Invalid request");
            assertThat(response.body()).doesNotContain("line:", "column:", "Unexpected end-of-input");
        }

        @Test
        void wrongTypeInTheBodyNamesTheJsonField() throws Exception {
            HttpResponse<String> response = send(authorized("/test/drafts", userToken)
                    .header("Content-Type", "application/json").POST(json("{\"max_count\": \"many\"}")));

            JsonNode problem = problem(response, 400);
            assertThat(problem.path("errors")).hasSize(1);
            assertThat(problem.path("errors").get(0).path("field").asText()).isEqualTo("max_count");
            assertThat(problem.path("errors").get(0).path("message").asText()).isEqualTo("must be an integer");
            assertThat(response.body()).doesNotContain("Integer", "Draft");
        }

        @Test
        void wrongTypeInsideAnArrayNamesTheElement() throws Exception {
            HttpResponse<String> response = send(authorized("/test/drafts", userToken)
                    .header("Content-Type", "application/json").POST(json("{\"tags\": [\"a\", {\"b\": 1}]}")));

            JsonNode problem = problem(response, 400);
            assertThat(problem.path("errors").get(0).path("field").asText()).isEqualTo("tags[1]");
        }

        @Test
        void malformedPathVariableIsA400NamingIt() throws Exception {
            HttpResponse<String> response = send(authorized("/test/items/not-a-uuid", userToken));

            JsonNode problem = problem(response, 400);
            assertThat(problem.path("errors").get(0).path("field").asText()).isEqualTo("id");
            assertThat(problem.path("errors").get(0).path("message").asText()).isEqualTo("must be a UUID");
            assertThat(problem.path("detail").asText() + problem.path("errors")).doesNotContain("not-a-uuid");
        }

        @Test
        void invalidRequestKeepsItsErrors() throws Exception {
            JsonNode problem = problem(send(authorized("/test/invalid", userToken)), 400);

            assertThat(problem.path("type").asText()).isEqualTo("/problems/invalid-request");
            assertThat(problem.path("errors").get(0).path("field").asText()).isEqualTo("name");
            assertThat(problem.path("errors").get(0).path("message").asText()).isEqualTo("must be at most 100 characters");
        }

        @Test
        void errorResponseExceptionKeepsItsProblem() throws Exception {
            JsonNode problem = problem(send(authorized("/test/conflict", userToken)), 409);

            assertThat(problem.path("title").asText()).isEqualTo("Key limit reached");
            assertThat(problem.path("detail").asText()).isEqualTo("Too many keys.");
        }

        @Test
        void unsupportedMethodIsA405WithAllow() throws Exception {
            HttpResponse<String> response = send(authorized("/test/drafts", userToken).DELETE());

            problem(response, 405);
            assertThat(response.headers().firstValue("Allow")).hasValue("POST");
        }

        @Test
        void unsupportedContentTypeIsA415() throws Exception {
            problem(send(authorized("/test/drafts", userToken)
                    .header("Content-Type", "text/plain").POST(json("name"))), 415);
        }

        @Test
        void unproducibleAcceptIsA406StillInProblemJson() throws Exception {
            problem(send(authorized("/test/caller", userToken).header("Accept", "application/xml")), 406);
        }

        @Test
        void unknownPathIsA404() throws Exception {
            JsonNode problem = problem(send(authorized("/test/nowhere", userToken)), 404);

            assertThat(problem.path("detail").asText()).doesNotContain("nowhere");
        }

        @Test
        void unexpectedExceptionIsAPlain500() throws Exception {
            HttpResponse<String> response = send(authorized("/test/boom", userToken));

            JsonNode problem = problem(response, 500);
            assertThat(problem.path("title").asText()).isEqualTo("Internal error");
            assertThat(response.body()).doesNotContain("postgresql", "hunter2", "IllegalState");
        }

        @Test
        void databaseOutOfReachIsA503WithRetryAfter() throws Exception {
            for (String path : List.of("/test/database-unreachable", "/test/connection-cut")) {
                HttpResponse<String> response = send(authorized(path, userToken));

                JsonNode problem = problem(response, 503);
                assertThat(problem.path("type").asText()).isEqualTo("/problems/database-unavailable");
                assertThat(problem.path("title").asText()).isEqualTo("Service unavailable");
                assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
                assertThat(response.body()).doesNotContain("Hikari", "JDBC", "backend", "append");
            }
        }

        @Test
        void aFailedStatementIsAPlain500ThatShowsNoSql() throws Exception {
            HttpResponse<String> response = send(authorized("/test/bad-sql", userToken));

            assertThat(problem(response, 500).path("title").asText()).isEqualTo("Internal error");
            assertThat(response.body()).doesNotContainIgnoringCase("select").doesNotContain("nowhere", "syntax");
        }

        @Test
        void failureOutsideSpringMvcIsAPlain500() throws Exception {
            HttpResponse<String> response = send(authorized(FailingFilter.PATH, userToken));

            JsonNode problem = problem(response, 500);
            assertThat(problem.path("title").asText()).isEqualTo("Internal error");
            assertThat(response.body()).doesNotContain("FailingFilter", "secrets");
        }

        @Test
        void aMethodTheFirewallDoesNotTakeIsA400Problem() throws Exception {
            for (String method : List.of("PROPFIND", "get", "FOO")) {
                problem(send(authorized("/test/caller", userToken).method(method, HttpRequest.BodyPublishers.noBody())), 400);
            }
        }

        /** Sent raw: Java's HTTP client will not send such a value. */
        @Test
        void aHeaderValueTheFirewallDoesNotPassOnIsA400Problem() throws Exception {
            try (Socket socket = new Socket("localhost", port)) {
                socket.getOutputStream().write(("POST /test/drafts HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                        + userToken + "\r\nX-Odd: a\u0080\u00ff\r\nContent-Type: application/json\r\nContent-Length: 2\r\n"
                        + "Connection: close\r\n\r\n{}").getBytes(StandardCharsets.ISO_8859_1));
                String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

                assertThat(answer).startsWith("HTTP/1.1 400 ").contains("Content-Type: application/problem+json")
                        .contains("\"status\":400").doesNotContain("Exception", "x-odd");
            }
        }

        @Test
        void requestsTomcatTurnsAwayItselfGetProblemsToo() throws Exception {
            HttpResponse<String> tooLarge = send(authorized("/test/caller", userToken).header("X-Big", "b".repeat(20_000)));

            assertThat(problem(tooLarge, 400).path("detail").asText()).isEqualTo("The request could not be processed: Bad Request.");
        }

        @Test
        void aWildcardOrMultipartContentTypeIsA415() throws Exception {
            for (String type : List.of("*/*", "application/*", "multipart/form-data; boundary=x",
                    "application/x-www-form-urlencoded")) {
                HttpResponse<String> response = send(authorized("/test/drafts", userToken).header("Content-Type", type)
                        .POST(json(type.startsWith("multipart") ? "--x\r\nbroken" : "name=x")));

                assertThat(response.statusCode()).as("%s: %s", type, response.body()).isEqualTo(415);
                problem(response, 415);
                assertThat(response.headers().firstValue("Accept")).isPresent();
            }
        }

        @Test
        void rejectedPathIsA400Problem() throws Exception {
            problem(send(authorized("/test/%2e%2e/caller", userToken)), 400);
        }

        @Test
        void directRequestForTheErrorPageIsA404() throws Exception {
            problem(send(authorized("/error", userToken)), 404);
        }

        @Test
        void bodyOverTheLimitIsA400NamingTheBody() throws Exception {
            String large = "{\"name\": \"" + "x".repeat(70 * 1024) + "\"}";

            HttpResponse<String> response = send(authorized("/test/drafts", userToken)
                    .header("Content-Type", "application/json").POST(json(large)));

            assertThat(problem(response, 400).path("errors").get(0).path("field").asText()).isEqualTo("body");
        }

        @Test
        void chunkedBodyOverTheLimitIsA400NamingTheBody() throws Exception {
            byte[] large = ("{\"name\": \"" + "x".repeat(70 * 1024) + "\"}").getBytes();

            HttpResponse<String> response = send(authorized("/test/drafts", userToken)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(large))));

            assertThat(problem(response, 400).path("errors").get(0).path("field").asText()).isEqualTo("body");
        }

        @Test
        void bodyUnderTheLimitIsRead() throws Exception {
            String body = "{\"name\": \"" + "x".repeat(60 * 1024) + "\"}";

            HttpResponse<String> response = send(authorized("/test/drafts", userToken)
                    .header("Content-Type", "application/json").POST(json(body)));

            assertThat(response.statusCode()).isEqualTo(200);
        }
    }
}

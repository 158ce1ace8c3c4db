package dev.apikeys.standalone;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Requests a well-behaved client would not send, drawn from a seeded {@link Random} so that a run
 * can be repeated. Three kinds: requests to a real endpoint with a fitting method and JSON, whose
 * body, token, id or query is odd (wrong types and sizes, deep nesting, invalid UTF-8, NULs and
 * lone surrogates, tokens with claims of the wrong type); requests of any method to any path with
 * any headers and body (encoded characters, dots, very long and non-UUID ids, the ids of keys that
 * belong to someone else, random bytes, absurd Authorization values and content types); and
 * requests that break HTTP's own rules or Tomcat's limits (characters a request line may not hold,
 * control characters and odd octets in headers, huge or too many headers, CONNECT). Each request
 * is framed correctly, so the connection it shares stays usable.
 */
final class BadRequests {

    /**
     * @param wire the request's bytes
     * @param description a readable account of the request, for a failure message
     * @param refused whether the service must refuse it (a 4xx): it breaks HTTP's rules, or it calls
     *        an endpoint that needs a token with one no service would accept
     */
    record BadRequest(String method, byte[] wire, String description, boolean refused) {

        boolean isHead() {
            return method.equals("HEAD");
        }
    }

    /** One endpoint's method and path, and the JSON body to send it, if any. */
    private record Call(String method, String path, String body) {
    }

    private static final List<String> FIELDS = List.of("name", "scopes", "organization_id", "expires_in_days",
            "grace_period_seconds", "key", "required_scopes", "user_id", "id", "disabled", "deleted", "created_at");
    /** Organizations no column can hold as they are: too long, a NUL, a lone surrogate. */
    private static final List<String> UNSTORABLE_ORGANIZATIONS = List.of("o".repeat(256), "org-\u0000", "org-\ud800");
    /** Organizations that are odd but fit: as long as a column allows, non-ASCII, spaces. */
    private static final List<String> ODD_ORGANIZATIONS = List.of("o".repeat(255), "org-\u00e9\u4e2d\ud83d\ude42",
            "org with spaces", "'; drop table read_model.api_key; --");

    private final Random random;
    private final String host;
    private final List<String> knownIds;
    /** The caller's own keys, as the requests so far created them. */
    private final List<String> ownIds = new ArrayList<>();
    private final String ownToken;
    private final List<String> authorizations;
    /** The Authorization values no endpoint that needs a token may take (null: none sent). */
    private final Set<String> refusedAuthorizations = new HashSet<>();

    /**
     * @param owner the user whose token most requests to real endpoints carry
     * @param knownIds ids of real keys, none of them the owner's
     */
    BadRequests(Random random, int port, String owner, List<String> knownIds) {
        this.random = random;
        this.host = "127.0.0.1:" + port;
        this.knownIds = List.copyOf(knownIds);
        this.ownToken = "Bearer " + Tokens.forUser(owner, ODD_ORGANIZATIONS.toArray(String[]::new));
        this.authorizations = authorizations();
    }

    /** A key the owner now holds, for later requests to name. */
    void created(String keyId) {
        ownIds.add(keyId);
    }

    BadRequest next() {
        return switch (random.nextInt(20)) {
            case 0, 1, 2 -> brokenHttp();
            case 3, 4, 5, 6, 7, 8, 9, 10, 11 -> toAnEndpoint();
            default -> anything();
        };
    }

    /** A real endpoint and a method it takes, with JSON; the body, token, id or query are odd. */
    private BadRequest toAnEndpoint() {
        String id = random.nextInt(3) > 0 && !ownIds.isEmpty() ? oneOf(ownIds) : id();
        Call call = switch (random.nextInt(10)) {
            case 0, 1 -> new Call("POST", "/api/v1/me/apikeys", createBody());
            case 2 -> new Call("PUT", "/api/v1/me/apikeys/" + id, random.nextBoolean() ? null : createBody());
            case 3 -> new Call("DELETE", "/api/v1/me/apikeys/" + id, null);
            case 4 -> new Call("POST", "/api/v1/me/apikeys/" + id + "/rotate", rotateBody());
            case 5 -> new Call("GET", "/api/v1/me/apikeys" + (random.nextBoolean() ? "" : "?as_of=" + timestamp()), null);
            case 6 -> new Call("GET", "/api/v1/me/apikeys/" + id + "/history", null);
            case 7 -> new Call("GET", "/api/v1/me/apikeys/analytics?" + oneOf("from=" + date() + "&to=" + date(),
                    "from=" + date(), "to=" + date(), ""), null);
            case 8 -> new Call("POST", Api.VERIFY, verifyBody());
            default -> new Call(oneOf("GET", "POST"), oneOf("/actuator/projections",
                    "/actuator/projections/" + id + "/replay", "/actuator/projections/apikey-" + letters(5) + "/replay"),
                    null);
        };
        List<String[]> headers = new ArrayList<>();
        headers.add(header("Host", host));
        String authorization = random.nextInt(5) < 3 ? ownToken : oneOf(authorizations);
        if (call.path().equals(Api.VERIFY) && random.nextBoolean()) {
            authorization = "Bearer " + Tokens.verifier();
        }
        if (authorization != null) {
            headers.add(header("Authorization", authorization));
        }
        byte[] body = call.body() == null ? null : utf8(call.body());
        if (body != null) {
            headers.add(header("Content-Type", random.nextInt(5) > 0 ? "application/json" : contentType()));
        }
        return request(call.method(), call.path(), headers, body, false,
                refusedAuthorizations.contains(authorization));
    }

    /** Any method, any path, any of the headers and bodies, within HTTP's rules. */
    private BadRequest anything() {
        List<String[]> headers = new ArrayList<>();
        headers.add(header("Host", host));
        String authorization = oneOf(authorizations);
        if (authorization != null) {
            headers.add(header("Authorization", authorization));
            if (random.nextInt(30) == 0) {
                headers.add(header("Authorization", oneOf(authorizations.stream().filter(Objects::nonNull).toList())));
            }
        }
        if (random.nextInt(3) > 0) {
            headers.add(header("Content-Type", contentType()));
        }
        if (random.nextInt(4) == 0) {
            headers.add(header("Accept", oneOf("application/xml", "text/html", "image/png", "*/*", "application/json;q=0",
                    "garbage", "application/problem+xml", "text/event-stream", "a/b/c", "", "*/*;q=abc",
                    "application/json, application/problem+json;q=0")));
        }
        for (int i = random.nextInt(3); i > 0; i--) {
            headers.add(oddHeader());
        }
        byte[] body = random.nextInt(3) == 0 ? null : body();
        // Its path may be one that needs no token, or none at all: no verdict is known.
        return request(method(), target(), headers, body, body != null && random.nextInt(20) == 0, false);
    }

    /** What HTTP itself or Tomcat's limits do not allow, which Tomcat or the firewall turn away. */
    private BadRequest brokenHttp() {
        List<String[]> headers = new ArrayList<>();
        headers.add(header("Host", random.nextInt(6) > 0 ? host : oneOf("", "evil.example", "a b", "[::1", host + ":1")));
        String authorization = oneOf(authorizations);
        if (authorization != null) {
            headers.add(header("Authorization", authorization));
        }
        String method = random.nextInt(4) == 0 ? oneOf("CONNECT", "X".repeat(300), "PROPFIND", "get") : method();
        String target = random.nextInt(3) == 0
                ? "/api/v1/me/apikeys/" + oneOf("a\"b", "<x>", "{id}", "a|b", "a\\b", "a^b", "`x`", utf8AsOctets("caf\u00e9"), "%")
                : target();
        int breach = random.nextInt(7);
        switch (breach) {
            case 0 -> headers.add(header("Big", "b".repeat(oneOf(9000, 20000))));
            case 1 -> {
                for (int i = 0; i < 120; i++) {
                    headers.add(header("X-Many-" + i, letters(10)));
                }
            }
            case 2 -> headers.add(header("X-Control", "a\u0001b"));
            case 3 -> headers.add(header("Bad Name", "x"));
            case 4 -> headers.add(header("X-Octets", utf8AsOctets("\u00fcn\u00efcode") + "\u0080\u00ff"));
            case 5 -> headers.add(header("Content-Type", oneOf("application/json\u0001", "application/" + "x".repeat(9000))));
            default -> headers.add(header("Authorization", "Bearer " + "A".repeat(9000)));
        }
        byte[] body = random.nextBoolean() ? null : body();
        // HTTP allows octets above 0x7f in a header value, and the firewall checks only the headers read.
        return request(method, target, headers, body, false, breach != 4);
    }

    private BadRequest request(String method, String target, List<String[]> headers, byte[] body, boolean chunked,
            boolean refused) {
        return new BadRequest(method, wire(method, target, headers, body, chunked),
                describe(method, target, headers, body, chunked), refused);
    }

    // --- request line ----------------------------------------------------------------------------

    private String method() {
        if (random.nextInt(10) < 7) {
            return oneOf("GET", "POST", "PUT", "DELETE");
        }
        return oneOf("PATCH", "HEAD", "OPTIONS", "TRACE", "PROPFIND", "CONNECT", "get", "Post", "FOO", "M-SEARCH",
                letters(1 + random.nextInt(20)), "X".repeat(300));
    }

    private String target() {
        String id = id();
        String path = switch (random.nextInt(13)) {
            case 0, 1, 2 -> "/api/v1/me/apikeys";
            case 3, 4, 5 -> "/api/v1/me/apikeys/" + id;
            case 6 -> "/api/v1/me/apikeys/" + id + "/rotate";
            case 7 -> "/api/v1/me/apikeys/" + id + "/history";
            case 8 -> "/api/v1/me/apikeys/analytics";
            case 9 -> "/api/v1/apikeys/verify";
            case 10 -> oneOf("/actuator/projections", "/actuator/projections/" + id + "/replay", "/actuator/health",
                    "/actuator/prometheus", "/actuator/" + id, "/v3/api-docs", "/v3/api-docs/" + id, "/swagger-ui.html",
                    "/error", "/", "/api", "/api/v1/me/" + id);
            case 11 -> "/api/v1/me/apikeys/" + id + "/" + id();
            default -> randomPath();
        };
        return random.nextInt(5) < 3 ? path : path + "?" + query();
    }

    private String id() {
        return switch (random.nextInt(16)) {
            case 0, 1 -> oneOf(knownIds);
            case 2, 3 -> UUID.randomUUID().toString();
            case 4 -> UUID.randomUUID().toString().toUpperCase(Locale.ROOT);
            case 5 -> UUID.randomUUID().toString().replace("-", "");
            case 6 -> oneOf(knownIds) + oneOf("x", "/", "%20", ".", ".json", ";a=b", "%00", "/..");
            case 7 -> oneOf("", ".", "..", "%2e", "%2e%2e", "%2E%2E%2F", "%2F", "%5C", "//", "%00", "%ZZ", "%C3%28",
                    "%FF%FE", "%E2%82", "%ED%A0%80", "caf%C3%A9%E4%B8%AD", "a;b=c", "%3B", "%7Bid%7D", "null", "-1", "0",
                    "1e10", "~", "*", "?", "%23", "%3F", "+", "%2B", "%20", "@", "!$&'()*+,;=");
            case 8 -> "x".repeat(oneOf(37, 100, 1000, 7000, 9000));
            case 9 -> UUID.randomUUID().toString().replace('a', 'g');
            case 10 -> percentEncoded(randomBytes(1 + random.nextInt(40)));
            case 11 -> urlSafe(1 + random.nextInt(60));
            default -> letters(1 + random.nextInt(40));
        };
    }

    private String randomPath() {
        StringBuilder path = new StringBuilder();
        for (int i = random.nextInt(6); i >= 0; i--) {
            path.append('/').append(id());
        }
        return path.toString();
    }

    private String query() {
        return switch (random.nextInt(8)) {
            case 0, 1 -> "as_of=" + timestamp();
            case 2, 3 -> "from=" + date() + "&to=" + date();
            case 4 -> oneOf("from=", "to=") + date();
            case 5 -> "as_of=" + timestamp() + "&as_of=" + timestamp();
            case 6 -> oneOf("", "&&&", "%ZZ=1", "=", "a=%C3%28", "as_of", "from=%00", "x=" + "y".repeat(9000));
            default -> letters(1 + random.nextInt(10)) + "=" + percentEncoded(randomBytes(random.nextInt(20)));
        };
    }

    private String timestamp() {
        return oneOf("2024-01-01T00:00:00Z", "+999999999-12-31T23:59:59Z", "-999999999-01-01T00:00:00Z",
                "0000-01-01T00:00:00Z", "2024-13-45T99:99:99Z", "now", "", "1700000000", "2024-01-01",
                "2024-01-01T00:00:00%2B25:00", "9999-12-31T23:59:59.999999999Z", "294277-01-01T00:00:00Z",
                "%2B294277-01-01T00:00:00Z", "-4714-11-24T00:00:00Z", "%00", "2024-02-30T00:00:00Z",
                "2024-01-01T00:00:00.1234567890123Z", Instant.now().toString(), "2024-01-01T00:00:00%2B05:30");
    }

    private String date() {
        return oneOf("2024-01-01", "2024-02-30", "+999999999-12-31", "-999999999-01-01", "0000-01-01", "1970-01-01",
                "2026-13-01", "today", "", "20240101", "%2B10000-01-01", "-0001-12-31", "294277-01-01",
                "2024-01-01T00:00:00Z", "9999-12-31");
    }

    // --- headers ---------------------------------------------------------------------------------

    private String contentType() {
        return oneOf("application/json", "application/json", "application/json", "application/json; charset=utf-8",
                "application/json;charset=ISO-8859-1", "application/json; charset=UTF-16", "application/json; charset=bogus",
                "application/json; charset=\"\"", "application/json;;;", "application/problem+json", "text/plain",
                "text/html", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=xyz",
                "multipart/form-data", "application/octet-stream", "*/*", "application/*", "a/b/c", "json", "", ";",
                "application/json; q=abc", "application/vnd.api+json", "application/" + "x".repeat(5000),
                "application/json; charset=" + "x".repeat(300));
    }

    private String[] oddHeader() {
        return switch (random.nextInt(10)) {
            case 0 -> header("X-Correlation-Id", oneOf("", " ", "x".repeat(1000), "a b", UUID.randomUUID().toString()));
            case 1 -> header("Big", "b".repeat(4000));
            case 2 -> header("Content-Encoding", oneOf("gzip", "deflate", "br", "garbage"));
            case 3 -> header("Accept-Charset", oneOf("bogus", "utf-8;q=x", "*"));
            case 4 -> header("Range", oneOf("bytes=0-1", "bytes=garbage", "bytes=999999999999999999999-"));
            case 5 -> header("Origin", oneOf("http://evil.example", "null", "", "x".repeat(500)));
            case 6 -> header("Cookie", oneOf("JSESSIONID=x", "a=b; c", "\u00ff=\u00fe", "="));
            case 7 -> header("If-Modified-Since", oneOf("yesterday", "Thu, 01 Jan 1970 00:00:00 GMT", ""));
            case 8 -> header("Accept-Language", oneOf("xx-YYYY-zzzz-123456789", "*;q=garbage", ""));
            default -> header("X-Forwarded-For", oneOf("1.2.3.4", "garbage", "::1, ::2", ""));
        };
    }

    private List<String> authorizations() {
        long inAnHour = Instant.now().plusSeconds(3600).getEpochSecond();
        List<String> values = new ArrayList<>();
        // No token at all, twice as often as any other.
        refused(values, null);
        refused(values, null);
        for (int i = 0; i < 4; i++) {
            values.add("Bearer " + Tokens.forUser("fuzz-user-" + i, "org-a"));
        }
        values.add("Bearer " + Tokens.forUser("fuzz-odd-organizations", ODD_ORGANIZATIONS.toArray(String[]::new)));
        refused(values, "Bearer " + Tokens.withClaimsJson("{\"sub\": \"fuzz-unstorable-organizations\", \"exp\": " + inAnHour
                + ", \"org_ids\": [" + String.join(", ", UNSTORABLE_ORGANIZATIONS.stream().map(BadRequests::quoted).toList())
                + "]}"));
        values.add("Bearer " + Tokens.verifier());
        values.add("Bearer " + Tokens.forService("fuzz-operator", "apikeys:admin"));
        values.add("Bearer " + Tokens.forService("fuzz-service", "apikeys:verify apikeys:admin openid"));
        refused(values, "Bearer " + Tokens.expiredFor("fuzz-user-0"));
        refused(values, "Bearer " + Tokens.signedWithAnotherSecret("fuzz-user-0"));
        refused(values, "Bearer " + withClaims("sub", "u".repeat(256), "exp", inAnHour));
        values.add("Bearer " + withClaims("sub", "u".repeat(255), "exp", inAnHour));
        refused(values, "Bearer " + withClaims("sub", "fuzz-\u0000-\u00fc", "exp", inAnHour));
        refused(values, "Bearer " + Tokens.withClaimsJson("{\"sub\": \"fuzz-\\ud800\", \"exp\": " + inAnHour + "}"));
        refused(values, "Bearer " + withClaims("sub", " ", "exp", inAnHour));
        // Spring turns a numeric sub into text: refused or not, no verdict is known here.
        values.add("Bearer " + withClaims("sub", 42, "exp", inAnHour));
        refused(values, "Bearer " + withClaims("sub", "fuzz-odd-claims", "exp", inAnHour, "org_ids", "org-a"));
        refused(values, "Bearer " + withClaims("sub", "fuzz-odd-claims", "exp", inAnHour, "org_ids", List.of(1, true)));
        refused(values, "Bearer " + withClaims("sub", "fuzz-odd-claims", "exp", inAnHour, "org_ids", List.of(Map.of("a", 1))));
        refused(values, "Bearer " + withClaims("sub", "fuzz-odd-claims", "exp", inAnHour, "org_ids", Map.of("a", "b")));
        refused(values, "Bearer " + withClaims("sub", "fuzz-odd-claims", "exp", inAnHour, "scope", List.of("apikeys:verify")));
        refused(values, "Bearer " + withClaims("sub", "fuzz-odd-claims", "exp", inAnHour, "scope", 7));
        refused(values, "Bearer " + withClaims("sub", "fuzz-odd-claims", "exp", "tomorrow"));
        values.add("Bearer " + withClaims("sub", "fuzz-odd-claims", "exp", Long.MAX_VALUE));
        refused(values, "Bearer " + withClaims("sub", "fuzz-odd-claims"));
        refused(values, "Bearer " + withClaims("sub", "fuzz-odd-claims", "exp", inAnHour, "nbf", inAnHour));
        values.add("Bearer " + withClaims("sub", "fuzz-odd-claims", "exp", inAnHour, "iat", "never"));
        String valid = Tokens.forUser("fuzz-user-0");
        String[] parts = valid.split("\\.");
        refused(values, "Bearer " + base64Url("{\"alg\":\"none\"}") + "." + parts[1] + ".");
        refused(values, "Bearer " + base64Url("{\"alg\":\"RS256\"}") + "." + parts[1] + "." + parts[2]);
        refused(values, "Bearer " + parts[0] + "." + parts[1] + "." + parts[2].substring(0, parts[2].length() - 4));
        refused(values, "Bearer " + parts[0] + "." + base64Url("[1,2,3]") + "." + parts[2]);
        refused(values, "Bearer " + parts[0] + ".%%%." + parts[2]);
        values.add("bearer " + valid);
        values.add("BEARER " + valid);
        refused(values, "Bearer " + valid + " trailing");
        refused(values, "Bearer " + valid + "," + valid);
        refused(values, "Bearer\t" + valid);
        refused(values, "Bearer");
        refused(values, "Bearer ");
        refused(values, "Bearer   ");
        refused(values, "Bearer a.b.c");
        refused(values, "Bearer ....");
        refused(values, "Bearer eyJ" + "A".repeat(5000));
        refused(values, "Bearer \u00ff\u00fe");
        refused(values, "Bearer %00");
        refused(values, "Basic dXNlcjpwYXNz");
        refused(values, "Digest username=x");
        refused(values, "");
        return values;
    }

    /** An Authorization value every endpoint that needs a token refuses. */
    private void refused(List<String> values, String authorization) {
        values.add(authorization);
        refusedAuthorizations.add(authorization);
    }

    private static String withClaims(Object... namesAndValues) {
        Map<String, Object> claims = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            claims.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return Tokens.withClaims(claims);
    }

    // --- bodies ----------------------------------------------------------------------------------

    private byte[] body() {
        return switch (random.nextInt(16)) {
            case 0 -> randomBytes(random.nextInt(2048));
            case 1 -> concat(utf8("{\"name\": \""), new byte[] {(byte) 0xC3, 0x28, (byte) 0xFF, (byte) 0xED, (byte) 0xA0,
                    (byte) 0x80}, utf8("\", \"key\": \"sk_\u00ff\"}"));
            case 2 -> utf8(deeplyNested(oneOf(200, 1000, 1001, 5000, 20000)));
            case 3 -> utf8("{\"name\": \"" + "n".repeat(oneOf(101, 60_000, 70_000)) + "\"}");
            case 4 -> utf8(oneOf("", "null", "[]", "\"text\"", "1", "true", "{", "}", "{}{}", "{} trailing",
                    "{\"name\": \"a\", \"name\": 7}", "\ufeff{}", "{\"a\":1,}", "[1,]", "{'name': 'x'}", "NaN",
                    "{\"expires_in_days\": 1" + "0".repeat(2000) + "}", "{\"grace_period_seconds\": 1e999999}"));
            case 5 -> "{\"name\": \"x\"}".getBytes(StandardCharsets.UTF_16);
            case 6 -> utf8(oneOf("name=x&scopes=models:read", "<key>sk_x</key>", "--xyz\r\nContent-Disposition: form-data;"
                    + " name=\"name\"\r\n\r\nx\r\n--xyz--\r\n"));
            case 7 -> utf8("{\"key\": " + json(1) + ", \"required_scopes\": " + json(1) + "}");
            case 8 -> utf8(createBody());
            default -> utf8(randomObject());
        };
    }

    /** A create request: each field there or not, fitting or not; now and then a field nobody may set. */
    private String createBody() {
        Map<String, String> fields = new LinkedHashMap<>();
        maybe(fields, "name", () -> random.nextBoolean()
                ? quoted(oneOf("ci deploy", "n".repeat(100), "\ud83d\ude42 \u00e9\u4e2d", "  padded  ", ""))
                : oneOf(json(1), quoted("\ud800"), quoted("a\u0000b"), quoted("n".repeat(101)), quoted("\u202e"),
                        quoted("\udc00\ud800")));
        maybe(fields, "scopes", () -> random.nextBoolean()
                ? oneOf("[\"models:read\", \"workflows:*\"]", "[]", "[" + String.join(",", java.util.Collections.nCopies(60,
                        "\"models:read\"")) + "]")
                : oneOf(json(2), scopes(51), "[" + quoted("a".repeat(60) + ":read") + "]", "[" + quoted("\ud800:read") + "]",
                        "[" + quoted("models:\u0000") + "]"));
        maybe(fields, "organization_id", () -> quoted(random.nextBoolean() ? oneOf(ODD_ORGANIZATIONS)
                : oneOf(random.nextBoolean() ? UNSTORABLE_ORGANIZATIONS : List.of("org-a", "", "org-elsewhere"))));
        maybe(fields, "expires_in_days", () -> oneOf("0", "1", "3650", "3651", "-1", "1.5", "\"30\"", "1e3", "null",
                "2147483648", json(1)));
        if (random.nextInt(5) == 0) {
            fields.put(oneOf("user_id", "id", "disabled", "key_hash", "created_at"), json(1));
        }
        return object(fields);
    }

    private String rotateBody() {
        if (random.nextInt(5) == 0) {
            return new String(body(), StandardCharsets.ISO_8859_1);
        }
        Map<String, String> fields = new LinkedHashMap<>();
        maybe(fields, "grace_period_seconds", () -> oneOf("0", "3600", "604800", "604801", "-1", "1.5", "\"60\"", "null",
                "1e309", json(1)));
        return object(fields);
    }

    private String verifyBody() {
        Map<String, String> fields = new LinkedHashMap<>();
        maybe(fields, "key", () -> oneOf(quoted("sk_" + base62(38)), quoted("sk_" + base62(random.nextInt(60))),
                quoted("sk_" + base62(35) + "\u0000\u0000\u0000"), quoted("\ud800"), json(1)));
        maybe(fields, "required_scopes", () -> oneOf("[\"models:read\"]", "[\"models:*\"]", "[]", scopes(1000), json(2),
                "[" + quoted("\ud800:x") + "]"));
        return object(fields);
    }

    private void maybe(Map<String, String> fields, String name, Supplier<String> value) {
        if (random.nextInt(5) < 3) {
            fields.put(name, value.get());
        }
    }

    private static String object(Map<String, String> fields) {
        StringBuilder object = new StringBuilder("{");
        fields.forEach((name, value) -> object.append(object.length() > 1 ? ", " : "").append(quoted(name)).append(": ")
                .append(value));
        return object.append('}').toString();
    }

    private static String scopes(int count) {
        StringBuilder scopes = new StringBuilder("[");
        for (int i = 0; i < count; i++) {
            scopes.append(i > 0 ? "," : "").append("\"scope").append((char) ('a' + i % 26)).append(i).append(":read\"");
        }
        return scopes.append(']').toString();
    }

    private String base62(int length) {
        String alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        return text(length, () -> alphabet.charAt(random.nextInt(alphabet.length())));
    }

    private String randomObject() {
        StringBuilder object = new StringBuilder("{");
        for (int i = random.nextInt(6); i > 0; i--) {
            String field = random.nextInt(4) > 0 ? oneOf(FIELDS) : oneOf("", "\u0000", "__proto__", "x".repeat(500),
                    letters(5));
            object.append(quoted(field)).append(": ").append(json(random.nextInt(3))).append(i > 1 ? ", " : "");
        }
        return object.append('}').toString();
    }

    /** A JSON value of any type, up to the given depth of arrays and objects. */
    private String json(int depth) {
        int kinds = depth > 0 ? 6 : 4;
        return switch (random.nextInt(kinds)) {
            case 0 -> quoted(string());
            case 1 -> number();
            case 2 -> oneOf("true", "false");
            case 3 -> "null";
            case 4 -> {
                StringBuilder array = new StringBuilder("[");
                int length = random.nextInt(20) == 0 ? 5000 : random.nextInt(60);
                for (int i = 0; i < length; i++) {
                    array.append(i > 0 ? "," : "").append(length > 100 ? quoted("s:" + i) : json(depth - 1));
                }
                yield array.append(']').toString();
            }
            default -> {
                StringBuilder object = new StringBuilder("{");
                for (int i = random.nextInt(5); i > 0; i--) {
                    object.append(quoted(oneOf(FIELDS))).append(':').append(json(depth - 1)).append(i > 1 ? "," : "");
                }
                yield object.append('}').toString();
            }
        };
    }

    private String string() {
        return switch (random.nextInt(10)) {
            case 0 -> "";
            case 1 -> oneOf("models:read", "workflows:*", "Models:Read", "a:b:c", "models:", ":read", "*:*", "a" + ":b".repeat(40));
            case 2 -> oneOf("\u00e9\u4e2d\ud83d\ude42", "\u0001", "\u0000", "\ud800", "\udfff", "\udc00\ud800", "\u202e");
            case 3 -> "s".repeat(oneOf(64, 65, 100, 1000, 10_000));
            case 4 -> oneOf("'; drop table read_model.api_key; --", "${jndi:ldap://example}", "<script>", "../../etc/passwd",
                    "%s%n", "SELECT 1", "\\u0000");
            case 5 -> oneOf(random.nextBoolean() ? ODD_ORGANIZATIONS : UNSTORABLE_ORGANIZATIONS);
            case 6 -> "sk_" + printable(random.nextInt(50));
            case 7 -> timestamp();
            default -> printable(random.nextInt(30));
        };
    }

    private String number() {
        return oneOf("0", "-1", "1", "3650", "3651", "604800", "604801", "2147483648", "-2147483649",
                "9223372036854775808", "1e308", "1e309", "-0", "1.5", "0.0000001", "1E2", "-1e-400", "00", "1" + "0".repeat(1200));
    }

    private static String deeplyNested(int depth) {
        return "{\"name\": " + "[".repeat(depth) + "]".repeat(depth) + "}";
    }

    // --- the wire --------------------------------------------------------------------------------

    private static byte[] wire(String method, String target, List<String[]> headers, byte[] body, boolean chunked) {
        StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        for (String[] header : headers) {
            head.append(header[0]).append(": ").append(header[1]).append("\r\n");
        }
        if (body != null) {
            head.append(chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + body.length + "\r\n");
        }
        head.append("\r\n");
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        wire.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (body != null && chunked) {
            for (int offset = 0; offset < body.length; offset += 1000) {
                int length = Math.min(1000, body.length - offset);
                wire.writeBytes((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                wire.write(body, offset, length);
                wire.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            }
            wire.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        } else if (body != null) {
            wire.writeBytes(body);
        }
        return wire.toByteArray();
    }

    private static String describe(String method, String target, List<String[]> headers, byte[] body, boolean chunked) {
        StringBuilder description = new StringBuilder(method).append(' ').append(abbreviated(target));
        for (String[] header : headers.subList(0, Math.min(headers.size(), 12))) {
            description.append("\n  ").append(header[0]).append(": ").append(abbreviated(header[1]));
        }
        if (headers.size() > 12) {
            description.append("\n  ... and ").append(headers.size() - 12).append(" more headers");
        }
        if (body != null) {
            description.append("\n  body (").append(body.length).append(" bytes").append(chunked ? ", chunked" : "")
                    .append("): ").append(abbreviated(new String(body, StandardCharsets.ISO_8859_1)));
        }
        return description.toString();
    }

    /** At most 200 characters, each unprintable one written as an escape. */
    private static String abbreviated(String text) {
        StringBuilder shown = new StringBuilder();
        for (int i = 0; i < text.length() && shown.length() < 200; i++) {
            char c = text.charAt(i);
            shown.append(c >= 0x20 && c < 0x7F ? String.valueOf(c) : String.format("\\u%04x", (int) c));
        }
        return text.length() > 200 ? shown + "... (" + text.length() + " characters)" : shown.toString();
    }

    // --- small pieces ----------------------------------------------------------------------------

    private static String[] header(String name, String value) {
        return new String[] {name, value};
    }

    @SafeVarargs
    private <T> T oneOf(T... choices) {
        return choices[random.nextInt(choices.length)];
    }

    private <T> T oneOf(List<T> choices) {
        return choices.get(random.nextInt(choices.size()));
    }

    private String letters(int length) {
        return text(length, () -> (char) ('a' + random.nextInt(26)));
    }

    /** Printable ASCII, including the characters a URL must escape. */
    private String printable(int length) {
        return text(length, () -> (char) (0x21 + random.nextInt(0x7E - 0x21)));
    }

    /** The characters a path segment may hold as they are. */
    private String urlSafe(int length) {
        String allowed = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:@";
        return text(length, () -> allowed.charAt(random.nextInt(allowed.length())));
    }

    private static String text(int length, Supplier<Character> character) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(character.get());
        }
        return text.toString();
    }

    private byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private static String percentEncoded(byte[] bytes) {
        StringBuilder encoded = new StringBuilder();
        for (byte b : bytes) {
            encoded.append('%').append(String.format("%02X", b & 0xFF));
        }
        return encoded.toString();
    }

    /** The UTF-8 bytes of the text, one character per byte, as they go raw into a request line or header. */
    private static String utf8AsOctets(String text) {
        return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    /** A JSON string literal, escaping only what JSON demands (so lone surrogates and NULs travel as escapes). */
    private static String quoted(String text) {
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                quoted.append('\\').append(c);
            } else if (c < 0x20 || Character.isSurrogate(c)) {
                quoted.append(String.format("\\u%04x", (int) c));
            } else {
                quoted.append(c);
            }
        }
        return quoted.append('"').toString();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            joined.writeBytes(part);
        }
        return joined.toByteArray();
    }

    private static String base64Url(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}

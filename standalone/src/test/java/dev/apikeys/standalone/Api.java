package dev.apikeys.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A REST client of the service, over real HTTP, as users call it. */
final class Api {

    static final String KEYS = "/api/v1/me/apikeys";
    static final String VERIFY = "/api/v1/apikeys/verify";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;

    Api(int port) {
        this.baseUrl = "http://127.0.0.1:" + port;
    }

    record Response(int status, java.net.http.HttpHeaders headers, String body) {

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    Response get(String path, String token) {
        return send(request(path, token).GET());
    }

    Response post(String path, String token, String jsonBody) {
        return send(request(path, token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(jsonBody)));
    }

    Response put(String path, String token) {
        return send(request(path, token).PUT(HttpRequest.BodyPublishers.noBody()));
    }

    Response delete(String path, String token) {
        return send(request(path, token).DELETE());
    }

    Response send(String method, String path, String token, String contentType, String body) {
        HttpRequest.Builder request = request(path, token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return send(request);
    }

    JsonNode create(String token, String jsonBody) {
        Response response = post(KEYS, token, jsonBody);
        if (response.status() != 201) {
            throw new AssertionError("create answered " + response.status() + ": " + response.body());
        }
        return response.json();
    }

    /** Verifies {@code key} as another service would; the JSON is built here, so any string travels intact. */
    Response verify(String token, String key, String... requiredScopes) {
        ObjectNode body = JSON.createObjectNode().put("key", key);
        if (requiredScopes.length > 0) {
            ArrayNode scopes = body.putArray("required_scopes");
            for (String scope : requiredScopes) {
                scopes.add(scope);
            }
        }
        return post(VERIFY, token, body.toString());
    }

    /** The verification's code, failing unless it was answered 200. */
    String verifyCode(String token, String key, String... requiredScopes) {
        Response response = verify(token, key, requiredScopes);
        if (response.status() != 200) {
            throw new AssertionError("verify answered " + response.status() + ": " + response.body());
        }
        return response.json().get("code").asText();
    }

    /** Whether every processor runs and has applied every committed event, as an operator sees it. */
    boolean processorsCaughtUp(String adminToken) {
        Response response = get("/actuator/projections", adminToken);
        if (response.status() != 200) {
            return false;
        }
        for (JsonNode processor : response.json()) {
            if (!processor.get("status").asText().equals("running") || processor.get("lag_events").asLong() != 0) {
                return false;
            }
        }
        return true;
    }

    Response rotate(String token, String id, String jsonBody) {
        return post(KEYS + "/" + id + "/rotate", token, jsonBody);
    }

    private HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return request;
    }

    private Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

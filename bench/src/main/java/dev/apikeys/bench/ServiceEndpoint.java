package dev.apikeys.bench;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** Where the service listens, and the bytes of requests to it, built once and sent many times. */
record ServiceEndpoint(String host, int port) {

    HttpConnection connect() {
        return new HttpConnection(new InetSocketAddress(host, port));
    }

    byte[] get(String path, String bearerToken) {
        return (head("GET", path, bearerToken) + "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    byte[] post(String path, String bearerToken, String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        byte[] head = (head("POST", path, bearerToken)
                + "Content-Type: application/json\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] request = new byte[head.length + body.length];
        System.arraycopy(head, 0, request, 0, head.length);
        System.arraycopy(body, 0, request, head.length, body.length);
        return request;
    }

    /** A PUT without a body, as the toggle of a key is. */
    byte[] put(String path, String bearerToken) {
        return (head("PUT", path, bearerToken) + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.UTF_8);
    }

    private String head(String method, String path, String bearerToken) {
        return method + " " + path + " HTTP/1.1\r\n"
                + "Host: " + host + ":" + port + "\r\n"
                + (bearerToken == null ? "" : "Authorization: Bearer " + bearerToken + "\r\n")
                + "Accept: */*\r\n";
    }
}

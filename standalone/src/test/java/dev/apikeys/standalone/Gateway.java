package dev.apikeys.standalone;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The split deployment's front door in tests, routing by deploy/gateway.conf's own rules
 * ({@link GatewayRoutes}) with several instances behind each upstream, round robin, and past an
 * instance that does not take the connection (nginx's {@code proxy_next_upstream error}).
 */
final class Gateway implements AutoCloseable {

    /** Hop-by-hop headers, and those the JDK's client sets itself. */
    private static final Set<String> NOT_FORWARDED = Set.of("host", "connection", "content-length", "expect",
            "upgrade", "transfer-encoding", "keep-alive", "te", "trailer", "proxy-connection", "date");

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(48);
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    private final GatewayRoutes routes = GatewayRoutes.read();
    /** The instances behind each of the file's upstream blocks. */
    private final Map<String, List<URI>> upstreams;
    private final AtomicInteger turn = new AtomicInteger();

    Gateway(List<URI> commandSide, List<URI> querySide) throws IOException {
        this.upstreams = Map.of("command_side", List.copyOf(commandSide), "query_side", List.copyOf(querySide));
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 128);
        server.createContext("/", this::forward);
        server.setExecutor(threads);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    private void forward(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            List<URI> instances = upstreams.get(routes.upstream(exchange.getRequestMethod(),
                    exchange.getRequestURI().getRawPath()));
            int first = turn.getAndIncrement();
            for (int attempt = 0; attempt < instances.size(); attempt++) {
                URI upstream = instances.get(Math.floorMod(first + attempt, instances.size()));
                try {
                    answer(exchange, client.send(request(exchange, upstream, body),
                            HttpResponse.BodyHandlers.ofByteArray()));
                    return;
                } catch (ConnectException | HttpConnectTimeoutException unreachable) {
                    // That instance is down: try the next one, as nginx would.
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            exchange.sendResponseHeaders(502, -1);
        }
    }

    private static HttpRequest request(HttpExchange exchange, URI upstream, byte[] body) {
        URI requested = exchange.getRequestURI();
        String target = upstream + requested.getRawPath()
                + (requested.getRawQuery() == null ? "" : "?" + requested.getRawQuery());
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target))
                .timeout(Duration.ofSeconds(30))
                .method(exchange.getRequestMethod(), body.length == 0
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        for (Map.Entry<String, List<String>> header : exchange.getRequestHeaders().entrySet()) {
            if (!NOT_FORWARDED.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                header.getValue().forEach(value -> request.header(header.getKey(), value));
            }
        }
        return request.build();
    }

    private static void answer(HttpExchange exchange, HttpResponse<byte[]> response) throws IOException {
        response.headers().map().forEach((name, values) -> {
            if (!name.startsWith(":") && !NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                exchange.getResponseHeaders().put(name, values);
            }
        });
        byte[] body = response.body();
        boolean empty = body.length == 0 || exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(response.statusCode(), empty ? -1 : body.length);
        if (!empty) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}

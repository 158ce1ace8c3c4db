package dev.apikeys.standalone;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One keep-alive HTTP/1.1 connection that sends requests exactly as given, bytes and all: a
 * request line, header or body no well-behaved client would send. {@link Api} is for requests as
 * clients make them; this is for everything else. Reconnects when the server closed the
 * connection.
 */
final class RawHttpConnection implements AutoCloseable {

    /** What the server answered. Header names are lower case. */
    record Response(int status, Map<String, String> headers, byte[] body) {

        String header(String name) {
            return headers.get(name);
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final int port;
    private final Duration readTimeout;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    RawHttpConnection(int port, Duration readTimeout) {
        this.port = port;
        this.readTimeout = readTimeout;
    }

    /**
     * @param request the whole request as it goes on the wire
     * @param head whether it is a HEAD request, whose answer has no body whatever its headers say
     * @return the answer, or null when the server closed the connection without one
     * @throws IOException when no answer came within the read timeout, or the connection broke
     */
    Response exchange(byte[] request, boolean head) throws IOException {
        boolean fresh = socket == null;
        if (fresh) {
            connect();
        }
        try {
            out.write(request);
            out.flush();
            Response response = read(head);
            if ("close".equalsIgnoreCase(response.header("connection"))) {
                close();
            }
            return response;
        } catch (EOFException | java.net.SocketException closedBeforeAnswering) {
            close();
            if (!fresh) {
                // The server may have let an idle connection go just before this request.
                return exchange(request, head);
            }
            return null;
        }
    }

    private void connect() throws IOException {
        socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout((int) readTimeout.toMillis());
        socket.setTcpNoDelay(true);
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    private Response read(boolean head) throws IOException {
        String statusLine = line();
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            throw new IOException("not an HTTP status line: " + statusLine);
        }
        int status = Integer.parseInt(parts[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = line(); !line.isEmpty(); line = line()) {
            int colon = line.indexOf(':');
            headers.merge(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim(),
                    (first, second) -> first + ", " + second);
        }
        byte[] body;
        if (head || status == 204 || status == 304 || status < 200) {
            body = new byte[0];
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = chunked();
        } else if (headers.containsKey("content-length")) {
            body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
        } else {
            body = in.readAllBytes();
            close();
        }
        return new Response(status, headers, body);
    }

    private byte[] chunked() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String size = line();
            int semicolon = size.indexOf(';');
            int length = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
            if (length == 0) {
                while (!line().isEmpty()) {
                    // Trailers: none expected, none needed.
                }
                return body.toByteArray();
            }
            body.write(in.readNBytes(length));
            line();
        }
    }

    /** A line up to CRLF, as ISO-8859-1: header bytes are octets, not UTF-8. */
    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new EOFException("connection closed");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException alreadyClosed) {
                // Nothing left to close.
            }
            socket = null;
        }
    }
}

package dev.apikeys.bench;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One blocking HTTP/1.1 connection, kept alive, for one client thread that sends a request and
 * reads the whole answer before sending the next. It parses only what frames an answer: the status
 * line, {@code Content-Length}, chunked {@code Transfer-Encoding} and {@code Connection: close}.
 * The load generator shares two cores with the service, so every cycle spent here is taken from
 * what is measured: no allocation per request, one write per request, buffered reads.
 */
final class HttpConnection implements AutoCloseable {

    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
    /** Far above any latency of interest; only a hung service waits this long. */
    private static final int READ_TIMEOUT_MILLIS = 30_000;
    private static final byte[] CONTENT_LENGTH = "content-length:".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TRANSFER_ENCODING = "transfer-encoding:".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONNECTION = "connection:".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CHUNKED = "chunked".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CLOSE = "close".getBytes(StandardCharsets.US_ASCII);

    private final InetSocketAddress address;
    private final byte[] buffer = new byte[16 * 1024];
    private int position;
    private int limit;
    private byte[] body = new byte[16 * 1024];
    private int bodyLength;
    private int status;
    private boolean closeAfterAnswer;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    HttpConnection(InetSocketAddress address) {
        this.address = address;
    }

    /** Connects now, so that the first request of a measured run does not pay for it. */
    void open() throws IOException {
        if (socket != null) {
            return;
        }
        Socket connecting = new Socket();
        try {
            connecting.setTcpNoDelay(true);
            connecting.connect(address, CONNECT_TIMEOUT_MILLIS);
            connecting.setSoTimeout(READ_TIMEOUT_MILLIS);
            in = connecting.getInputStream();
            out = connecting.getOutputStream();
        } catch (IOException e) {
            connecting.close();
            throw e;
        }
        socket = connecting;
        position = 0;
        limit = 0;
    }

    /**
     * Sends one request (complete bytes, headers and body) and reads the whole answer.
     *
     * @return the status code
     */
    int exchange(byte[] request) throws IOException {
        boolean keptAlive = socket != null;
        open();
        try {
            sendAndAwaitAnswer(request);
        } catch (ClosedWhileIdle e) {
            // The server may close a kept-alive connection it found idle; it read nothing of
            // this request then, so sending it again on a new connection is safe.
            close();
            if (!keptAlive) {
                throw e;
            }
            open();
            try {
                sendAndAwaitAnswer(request);
            } catch (IOException again) {
                close();
                throw again;
            }
        } catch (IOException e) {
            close();
            throw e;
        }
        try {
            do {
                readHead();
            } while (status >= 100 && status < 200);
        } catch (IOException e) {
            close();
            throw e;
        }
        if (closeAfterAnswer) {
            close();
        }
        return status;
    }

    int status() {
        return status;
    }

    /** @return where {@code needle} starts in the body of the last answer, or -1 */
    int bodyIndexOf(byte[] needle) {
        outer:
        for (int i = 0; i <= bodyLength - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (body[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    String bodyText(int offset, int length) {
        return new String(body, offset, Math.min(length, bodyLength - offset), StandardCharsets.UTF_8);
    }

    String bodyText() {
        return bodyText(0, bodyLength);
    }

    @Override
    public void close() {
        if (socket == null) {
            return;
        }
        try {
            socket.close();
        } catch (IOException e) {
            // Nothing to do about a socket that will not close; it is dropped either way.
        }
        socket = null;
        in = null;
        out = null;
    }

    /** Sends, then waits for the first byte of the answer. */
    private void sendAndAwaitAnswer(byte[] request) throws IOException {
        try {
            out.write(request);
            out.flush();
            if (position == limit && !fill()) {
                throw new ClosedWhileIdle();
            }
        } catch (SocketException e) {
            throw new ClosedWhileIdle();
        }
    }

    /** The status line and headers, then the body they frame. */
    private void readHead() throws IOException {
        int end = lineEnd();
        if (end - position < 12 || buffer[position + 8] != ' ') {
            throw new IOException("Not an HTTP/1.1 status line: " + text(position, end));
        }
        status = (buffer[position + 9] - '0') * 100 + (buffer[position + 10] - '0') * 10 + (buffer[position + 11] - '0');
        position = end + 1;
        long contentLength = -1;
        boolean chunked = false;
        closeAfterAnswer = false;
        while (true) {
            end = lineEnd();
            int start = position;
            int stop = end > start && buffer[end - 1] == '\r' ? end - 1 : end;
            position = end + 1;
            if (stop == start) {
                break;
            }
            if (startsWithIgnoringCase(start, stop, CONTENT_LENGTH)) {
                contentLength = parseDecimal(start + CONTENT_LENGTH.length, stop);
            } else if (startsWithIgnoringCase(start, stop, TRANSFER_ENCODING)) {
                chunked = containsIgnoringCase(start, stop, CHUNKED);
            } else if (startsWithIgnoringCase(start, stop, CONNECTION)) {
                closeAfterAnswer = containsIgnoringCase(start, stop, CLOSE);
            }
        }
        bodyLength = 0;
        if (status < 200 || status == 204 || status == 304) {
            return;
        }
        if (chunked) {
            readChunkedBody();
        } else if (contentLength >= 0) {
            readIntoBody(contentLength);
        } else {
            readBodyUntilClosed();
        }
    }

    private void readChunkedBody() throws IOException {
        while (true) {
            int end = lineEnd();
            long size = parseHex(position, end);
            position = end + 1;
            if (size == 0) {
                // Trailers, if any, up to the blank line.
                int start;
                do {
                    end = lineEnd();
                    start = position;
                    position = end + 1;
                } while (end > start && !(end == start + 1 && buffer[start] == '\r'));
                return;
            }
            readIntoBody(size);
            position = lineEnd() + 1;
        }
    }

    private void readIntoBody(long length) throws IOException {
        if (length > Integer.MAX_VALUE - bodyLength) {
            throw new IOException("Answer body too large: " + length);
        }
        int wanted = (int) length;
        if (body.length < bodyLength + wanted) {
            body = Arrays.copyOf(body, Math.max(body.length * 2, bodyLength + wanted));
        }
        int buffered = Math.min(wanted, limit - position);
        System.arraycopy(buffer, position, body, bodyLength, buffered);
        position += buffered;
        bodyLength += buffered;
        wanted -= buffered;
        while (wanted > 0) {
            int read = in.read(body, bodyLength, wanted);
            if (read < 0) {
                throw new EOFException("Connection closed within an answer body");
            }
            bodyLength += read;
            wanted -= read;
        }
    }

    private void readBodyUntilClosed() throws IOException {
        closeAfterAnswer = true;
        readIntoBody(limit - position);
        while (true) {
            if (body.length == bodyLength) {
                body = Arrays.copyOf(body, body.length * 2);
            }
            int read = in.read(body, bodyLength, body.length - bodyLength);
            if (read < 0) {
                return;
            }
            bodyLength += read;
        }
    }

    /** @return the index of the next {@code '\n'} at or after {@code position}, reading as needed */
    private int lineEnd() throws IOException {
        int scanned = 0;
        while (true) {
            for (int i = position + scanned; i < limit; i++) {
                if (buffer[i] == '\n') {
                    return i;
                }
            }
            scanned = limit - position;
            if (!fill()) {
                throw new EOFException("Connection closed within an answer's head");
            }
        }
    }

    /** Reads more after {@code limit}, first moving unread bytes to the front when at the end. */
    private boolean fill() throws IOException {
        if (position == limit) {
            position = 0;
            limit = 0;
        } else if (limit == buffer.length) {
            if (position == 0) {
                throw new IOException("An answer's header line is longer than " + buffer.length + " bytes");
            }
            System.arraycopy(buffer, position, buffer, 0, limit - position);
            limit -= position;
            position = 0;
        }
        int read = in.read(buffer, limit, buffer.length - limit);
        if (read < 0) {
            return false;
        }
        limit += read;
        return true;
    }

    private boolean startsWithIgnoringCase(int start, int stop, byte[] lowerCasePrefix) {
        if (stop - start < lowerCasePrefix.length) {
            return false;
        }
        for (int i = 0; i < lowerCasePrefix.length; i++) {
            if (lowerCase(buffer[start + i]) != lowerCasePrefix[i]) {
                return false;
            }
        }
        return true;
    }

    private boolean containsIgnoringCase(int start, int stop, byte[] lowerCaseWord) {
        outer:
        for (int i = start; i <= stop - lowerCaseWord.length; i++) {
            for (int j = 0; j < lowerCaseWord.length; j++) {
                if (lowerCase(buffer[i + j]) != lowerCaseWord[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private long parseDecimal(int start, int stop) throws IOException {
        long value = 0;
        boolean digits = false;
        for (int i = start; i < stop; i++) {
            byte b = buffer[i];
            if (b >= '0' && b <= '9') {
                value = value * 10 + (b - '0');
                digits = true;
            } else if (b != ' ' && b != '\t') {
                break;
            }
        }
        if (!digits) {
            throw new IOException("Bad Content-Length: " + text(start, stop));
        }
        return value;
    }

    /** A chunk-size line: hex digits, then perhaps {@code ;extensions}, then CRLF. */
    private long parseHex(int start, int end) throws IOException {
        long value = 0;
        int i = start;
        for (; i < end; i++) {
            int digit = Character.digit(buffer[i], 16);
            if (digit < 0) {
                break;
            }
            value = value * 16 + digit;
        }
        if (i == start) {
            throw new IOException("Bad chunk size line: " + text(start, end));
        }
        return value;
    }

    private String text(int start, int end) {
        return new String(buffer, start, Math.min(end - start, 200), StandardCharsets.ISO_8859_1).strip();
    }

    private static byte lowerCase(byte b) {
        return b >= 'A' && b <= 'Z' ? (byte) (b + ('a' - 'A')) : b;
    }

    /** The connection ended before the first byte of an answer. */
    private static final class ClosedWhileIdle extends EOFException {
        ClosedWhileIdle() {
            super("Connection closed before an answer began");
        }
    }
}

package dev.apikeys.standalone.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free ports for servers that bind some time after the port is chosen, or bind it again after a
 * stop. A port from {@code new ServerSocket(0)} lies in the kernel's ephemeral range, which every
 * outgoing connection draws its local port from: in that gap a client may take it (a client
 * retrying a stopped server's port may even connect to itself), and the server then fails to
 * bind. Ports below that range are never handed to outgoing connections, and this JVM hands each
 * one out once, so two servers starting side by side (the broker and PostgreSQL) never get the same.
 */
public final class LocalPorts {

    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    /** Linux's default start of the ephemeral range, below the IANA range other systems use. */
    private static final int DEFAULT_EPHEMERAL_START = 32768;
    private static final int LOWEST = 10000;
    private static final int ATTEMPTS = 200;
    private static final Set<Integer> handedOut = ConcurrentHashMap.newKeySet();

    private LocalPorts() {
    }

    /** A port that is free on the loopback address now and that no outgoing connection will take. */
    public static int free() {
        int highest = Math.min(ephemeralStart(), DEFAULT_EPHEMERAL_START) - 1;
        for (int attempt = 0; highest > LOWEST && attempt < ATTEMPTS; attempt++) {
            int candidate = ThreadLocalRandom.current().nextInt(LOWEST, highest + 1);
            if (isFree(candidate) && handedOut.add(candidate)) {
                return candidate;
            }
        }
        return anyFree();
    }

    private static int ephemeralStart() {
        try {
            // readAllLines, not readString: /proc reports a size of 0, and readString then reads one byte.
            return Integer.parseInt(Files.readAllLines(EPHEMERAL_RANGE).get(0).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return DEFAULT_EPHEMERAL_START;
        }
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int anyFree() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free port on the loopback address", e);
        }
    }
}

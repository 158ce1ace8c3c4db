package dev.apikeys.standalone.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LocalPortsTest {

    @Test
    void aFreePortLiesBelowTheEphemeralRangeSoNoOutgoingConnectionTakesIt() throws IOException {
        Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
        int ephemeralStart = Files.isReadable(range)
                ? Integer.parseInt(Files.readAllLines(range).get(0).trim().split("\\s+")[0])
                : 32768;

        assertThat(IntStream.range(0, 50).map(i -> LocalPorts.free()))
                .allSatisfy(port -> assertThat(port).isBetween(10000, ephemeralStart - 1));
    }

    @Test
    void noPortIsHandedOutTwice() {
        assertThat(IntStream.range(0, 500).map(i -> LocalPorts.free()).boxed()).doesNotHaveDuplicates();
    }

    @Test
    void aFreePortCanBeBound() throws IOException {
        int port = LocalPorts.free();

        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertThat(socket.getLocalPort()).isEqualTo(port);
        }
    }
}

package dev.apikeys.bench;

import dev.apikeys.standalone.embedded.EmbeddedKafkaBroker;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The broker's own JVM, so the harness can take Kafka away by killing it, as an outage would, and
 * bring it back on the same port and log. Prints {@link #READY} once clients can connect, and
 * stops the broker gracefully when its input closes.
 */
final class KafkaBrokerMain {

    static final String READY = "kafka-broker-ready";

    private KafkaBrokerMain() {
    }

    /** @param args the log directory and the port */
    public static void main(String[] args) throws IOException {
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(Path.of(args[0]), Integer.parseInt(args[1]));
        broker.start();
        System.out.println(READY);
        System.out.flush();
        while (System.in.read() >= 0) {
            // The harness writes nothing; it only closes the stream (or dies, which closes it too).
        }
        broker.stop();
    }
}

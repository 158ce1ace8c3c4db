package dev.apikeys.standalone.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaBrokerTest {

    private static final String TOPIC = "outage-test";

    @TempDir
    Path dataDirectory;

    private EmbeddedKafkaBroker broker;
    private ChildJvm childJvm;

    @AfterEach
    void stopBroker() {
        if (childJvm != null) {
            childJvm.close();
        }
        if (broker != null) {
            broker.stop();
        }
    }

    @Test
    void keepsItsRecordsClusterAndPortAcrossStopAndStart() throws Exception {
        broker = new EmbeddedKafkaBroker(dataDirectory.resolve("kafka"), 0);
        broker.start();
        String bootstrapServers = broker.bootstrapServers();
        String clusterId;
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            clusterId = admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS);
        }
        try (KafkaProducer<String, String> producer = producer()) {
            producer.send(new ProducerRecord<>(TOPIC, "key-1", "before the outage")).get(30, TimeUnit.SECONDS);
        }

        broker.stop();
        assertThat(listens(broker.port())).isFalse();
        broker.start();

        assertThat(broker.bootstrapServers()).isEqualTo(bootstrapServers);
        try (Admin admin = admin()) {
            assertThat(admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS)).isEqualTo(clusterId);
        }
        assertThat(readAll()).extracting(ConsumerRecord::value).containsExactly("before the outage");
    }

    @Test
    void keepsTheRecordsOfABrokerWhoseJvmWasKilled() throws Exception {
        Path logDirectory = dataDirectory.resolve("kafka");
        Path ready = dataDirectory.resolve("ready");
        int port = new EmbeddedKafkaBroker(logDirectory, 0).port();
        childJvm = ChildJvm.start(KafkaInChildJvm.class, dataDirectory.resolve("child-jvm.log"),
                logDirectory.toString(), Integer.toString(port), TOPIC, ready.toString());
        await().atMost(Duration.ofSeconds(120)).until(() -> Files.exists(ready) || !childJvm.isAlive());
        assertThat(ready).as("child JVM wrote its record; its output is in child-jvm.log").exists();

        childJvm.kill();
        broker = new EmbeddedKafkaBroker(logDirectory, port);
        broker.start();

        assertThat(readAll()).extracting(ConsumerRecord::value).containsExactly("written before kill -9");
    }

    @Test
    void brokerConfigSuitsASingleNode() throws Exception {
        broker = new EmbeddedKafkaBroker(dataDirectory.resolve("kafka"), 0);
        broker.start();

        try (Admin admin = admin()) {
            ConfigResource brokerConfig = new ConfigResource(ConfigResource.Type.BROKER, "1");
            var config = admin.describeConfigs(List.of(brokerConfig)).all().get(30, TimeUnit.SECONDS).get(brokerConfig);
            assertThat(config.get("auto.create.topics.enable").value()).isEqualTo("false");
            assertThat(config.get("offsets.topic.replication.factor").value()).isEqualTo("1");
            assertThat(config.get("min.insync.replicas").value()).isEqualTo("1");
        }
    }

    private List<ConsumerRecord<String, String>> readAll() {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, UUID.randomUUID().toString(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(TOPIC));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (records.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
        }
        return records;
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
    }

    private KafkaProducer<String, String> producer() {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new StringSerializer());
    }

    private static boolean listens(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}

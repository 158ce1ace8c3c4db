package dev.apikeys.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The audit topic read from the beginning, as a new audit consumer would, by a thread of its own
 * until closed: for every key its records in offset order, and when each {@code ce_id} was first
 * seen, which is what the drills hold against the event store.
 */
final class AuditTopicReader implements AutoCloseable {

    /** The service's default {@code apikeys.audit.topic}, which {@link ServiceLaunch} leaves as it is. */
    static final String TOPIC = "apikeys.audit.v1";
    private static final Duration POLL = Duration.ofMillis(100);

    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread thread;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, List<AuditRecordRead>> recordsByKey = new HashMap<>();
    private final Map<String, Long> firstSeenAt = new HashMap<>();
    private long records;
    private Throwable failure;
    private volatile boolean closing;

    private AuditTopicReader(String bootstrapServers) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "bench-audit-reader");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        // Asking for a topic the service has not created yet must not create it with the broker's defaults.
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        consumer = new KafkaConsumer<>(config);
        thread = new Thread(this::read, "bench-audit-reader");
        thread.setDaemon(true);
    }

    /** Starts reading every partition of the topic from its first offset. */
    static AuditTopicReader fromBeginning(String bootstrapServers) {
        AuditTopicReader reader = new AuditTopicReader(bootstrapServers);
        reader.thread.start();
        return reader;
    }

    /**
     * Waits until every one of {@code ceIds} was read, or {@code within} passed.
     *
     * @return whether all were read
     */
    synchronized boolean awaitAll(Collection<String> ceIds, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!firstSeenAt.keySet().containsAll(ceIds)) {
            if (failure != null) {
                throw new PhaseFailed("reading " + TOPIC + " failed: " + failure, failure);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    /** @return the {@link System#nanoTime()} the last of {@code ceIds} was first read at; empty if one was not */
    synchronized OptionalLong lastFirstSeenAt(Collection<String> ceIds) {
        long last = Long.MIN_VALUE;
        for (String ceId : ceIds) {
            Long seen = firstSeenAt.get(ceId);
            if (seen == null) {
                return OptionalLong.empty();
            }
            last = Math.max(last, seen);
        }
        return OptionalLong.of(last);
    }

    /** @return how many of {@code ceIds} were not read */
    synchronized long missing(Collection<String> ceIds) {
        return ceIds.stream().filter(ceId -> !firstSeenAt.containsKey(ceId)).count();
    }

    /** Records read whose {@code ce_id} an earlier record had: what at-least-once allows. */
    synchronized long duplicates() {
        return records - firstSeenAt.size();
    }

    /**
     * The keys whose records a consumer that dedupes on {@code ce_id} would see out of order: the
     * first record of each event not in the store's order of the key's events, a {@code sequence}
     * that does not rise from one event to the next, or a repeat of a {@code ce_id} with another
     * {@code sequence} than it first had.
     *
     * @param eventIdsByKey each key's event ids in the store's order
     */
    synchronized Set<String> keysOutOfOrder(Map<String, List<String>> eventIdsByKey) {
        Set<String> outOfOrder = new HashSet<>();
        eventIdsByKey.forEach((keyId, storeOrder) -> {
            Map<String, Long> sequenceById = new LinkedHashMap<>();
            boolean inOrder = true;
            long previous = Long.MIN_VALUE;
            for (AuditRecordRead record : recordsByKey.getOrDefault(keyId, List.of())) {
                Long first = sequenceById.putIfAbsent(record.ceId(), record.sequence());
                if (first == null) {
                    inOrder &= record.sequence() > previous;
                    previous = record.sequence();
                } else {
                    inOrder &= first == record.sequence();
                }
            }
            // Events not read at all are counted as missing, not here.
            List<String> readOrder = new ArrayList<>(sequenceById.keySet());
            readOrder.retainAll(new HashSet<>(storeOrder));
            if (!inOrder || !readOrder.equals(storeOrder.stream().filter(sequenceById::containsKey).toList())) {
                outOfOrder.add(keyId);
            }
        });
        return outOfOrder;
    }

    @Override
    public void close() throws InterruptedException {
        closing = true;
        consumer.wakeup();
        thread.join(TimeUnit.SECONDS.toMillis(10));
    }

    private void read() {
        try (consumer) {
            assignWhenTopicExists();
            while (!closing) {
                List<AuditRecordRead> polled = new ArrayList<>();
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    polled.add(new AuditRecordRead(record.key(), header(record, "ce_id"), sequence(record)));
                }
                long now = System.nanoTime();
                synchronized (this) {
                    for (AuditRecordRead record : polled) {
                        recordsByKey.computeIfAbsent(record.keyId(), key -> new ArrayList<>()).add(record);
                        firstSeenAt.putIfAbsent(record.ceId(), now);
                        records++;
                    }
                    notifyAll();
                }
            }
        } catch (WakeupException e) {
            // Closed while polling.
        } catch (RuntimeException | IOException | InterruptedException e) {
            synchronized (this) {
                failure = e;
                notifyAll();
            }
        }
    }

    /** The service creates the topic when it first publishes; until then there is nothing to assign. */
    private void assignWhenTopicExists() throws InterruptedException {
        while (!closing) {
            List<PartitionInfo> partitions;
            try {
                partitions = consumer.partitionsFor(TOPIC, Duration.ofSeconds(5));
            } catch (TimeoutException e) {
                // The broker is not answering yet; it is up when a drill starts a reader, so ask again.
                continue;
            }
            if (partitions != null && !partitions.isEmpty()) {
                List<TopicPartition> assigned = partitions.stream()
                        .map(partition -> new TopicPartition(TOPIC, partition.partition())).toList();
                consumer.assign(assigned);
                consumer.seekToBeginning(assigned);
                return;
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private long sequence(ConsumerRecord<String, byte[]> record) throws IOException {
        JsonNode sequence = json.readTree(record.value()).get("sequence");
        if (sequence == null || !sequence.canConvertToLong()) {
            throw new IOException("An audit record without a sequence at " + record.topic() + "-"
                    + record.partition() + "@" + record.offset());
        }
        return sequence.asLong();
    }

    /** One record as read, in the order read, which for one key is its partition's offset order. */
    private record AuditRecordRead(String keyId, String ceId, long sequence) {
    }
}

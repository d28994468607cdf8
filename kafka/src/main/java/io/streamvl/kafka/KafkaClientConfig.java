package io.streamvl.kafka;

import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Client settings that agree with the broker and topic size limits, so that a segment the broker
 * accepts can also be sent and fetched. A record batch carries headers, key and framing besides the
 * value, hence {@link #RECORD_OVERHEAD_BYTES} between the message limit and the largest segment.
 */
public final class KafkaClientConfig {
    public static final int RECORD_OVERHEAD_BYTES = 64 << 10;
    private static final int MIN_FETCH_MAX_BYTES = 50 << 20;

    private KafkaClientConfig() {}

    /** The largest segment payload that fits a message of {@code maxMessageBytes}. */
    public static int maxSegmentBytes(int maxMessageBytes) {
        if (maxMessageBytes <= 2 * RECORD_OVERHEAD_BYTES) {
            throw new IllegalArgumentException("message limit " + maxMessageBytes + " B is too small for video segments");
        }
        return maxMessageBytes - RECORD_OVERHEAD_BYTES;
    }

    /** Byte-array producer: idempotent, acks=all, no compression (encoded video does not compress). */
    public static Properties producer(String bootstrapServers, int maxMessageBytes) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(maxMessageBytes));
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, String.valueOf(Math.max(32L << 20, 4L * maxMessageBytes)));
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        return p;
    }

    /** Byte-array consumer that can fetch the largest allowed message. */
    public static Properties consumer(String bootstrapServers, String groupId, int maxMessageBytes,
            boolean readCommitted) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        if (groupId != null) {
            p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        }
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, readCommitted ? "read_committed" : "read_uncommitted");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(maxMessageBytes));
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, String.valueOf(Math.max(MIN_FETCH_MAX_BYTES, 2 * maxMessageBytes)));
        return p;
    }
}

package io.streamvl.kafka;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes records as streamvl JSON ({@link Json}) to one topic, keyed by a field of the record. The Kafka timestamp is
 * the time of writing, not the element's event time: retention and time-based lookups go by when a record was
 * written, and an input whose event time is old or unknown (a replayed video, a segment without its start-time
 * header, timestamp 0) would otherwise have its caption or DLQ record deleted by retention as soon as written. The
 * event time a record is about is in its fields.
 */
public class JsonRecordSerializationSchema<T> implements KafkaRecordSerializationSchema<T> {
    private static final long serialVersionUID = 1L;

    private final String topic;
    private final SerializableFunction<T, String> keyOf;

    public JsonRecordSerializationSchema(String topic, SerializableFunction<T, String> keyOf) {
        this.topic = Objects.requireNonNull(topic, "topic");
        this.keyOf = Objects.requireNonNull(keyOf, "keyOf");
    }

    /** DLQ records keep the key of the input they replace. */
    public static JsonRecordSerializationSchema<DlqRecord> dlq(String topic) {
        return new JsonRecordSerializationSchema<>(topic, r -> r.key);
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(T element, KafkaSinkContext context, Long timestamp) {
        String key = keyOf.apply(element);
        byte[] keyBytes = key == null ? null : key.getBytes(StandardCharsets.UTF_8);
        // a null timestamp: the producer stamps the record when it sends it
        return new ProducerRecord<>(topic, null, null, keyBytes, Json.bytes(element));
    }
}

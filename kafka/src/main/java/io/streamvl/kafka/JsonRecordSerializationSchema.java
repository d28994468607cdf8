package io.streamvl.kafka;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Writes records as streamvl JSON ({@link Json}) to one topic, keyed by a field of the record. */
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
        return new ProducerRecord<>(topic, null, timestamp, keyBytes, Json.bytes(element));
    }
}

package io.streamvl.kafka;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Publishes encoded segments to the segments topic, one synchronous send at a time: a camera
 * produces a segment every few seconds, and waiting for the acknowledgement keeps the order and
 * surfaces broker errors at the segment that caused them.
 */
public final class SegmentPublisher implements AutoCloseable {
    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final int maxSegmentBytes;

    public SegmentPublisher(String bootstrapServers, String topic, int maxMessageBytes) {
        this.topic = Objects.requireNonNull(topic, "topic");
        this.maxSegmentBytes = KafkaClientConfig.maxSegmentBytes(maxMessageBytes);
        this.producer = new KafkaProducer<>(KafkaClientConfig.producer(bootstrapServers, maxMessageBytes));
    }

    public int maxSegmentBytes() {
        return maxSegmentBytes;
    }

    /**
     * Sends one segment and waits until the broker has it.
     *
     * @throws SegmentTooLargeException when {@code data} exceeds {@link #maxSegmentBytes()}
     * @throws InterruptedException when interrupted while waiting for the acknowledgement
     */
    public RecordMetadata publish(String streamId, long sequence, long startMillis, String container, byte[] data)
            throws InterruptedException {
        if (streamId == null || streamId.isEmpty()) {
            throw new IllegalArgumentException("stream id must not be empty");
        }
        if (data.length > maxSegmentBytes) {
            throw new SegmentTooLargeException(streamId, sequence, data.length, maxSegmentBytes);
        }
        ProducerRecord<byte[], byte[]> record =
                new ProducerRecord<>(topic, streamId.getBytes(StandardCharsets.UTF_8), data);
        SegmentHeaders.write(record.headers(), sequence, startMillis, container);
        try {
            return producer.send(record).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("publishing segment " + sequence + " of stream '" + streamId + "' to "
                    + topic + " failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}

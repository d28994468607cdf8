package io.streamvl.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamvl.kafka.testing.EmbeddedKafkaExtension;
import io.streamvl.kafka.testing.TopicDrain;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SegmentPublisherTest {
    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @Test
    void eightMegabyteSegmentRoundTripsWithHeaders() throws Exception {
        KAFKA.createTopic("segments-big", 2);
        byte[] data = new byte[8 << 20];
        new Random(7).nextBytes(data);

        RecordMetadata meta;
        try (SegmentPublisher publisher = new SegmentPublisher(KAFKA.bootstrapServers(), "segments-big",
                KAFKA.maxMessageBytes())) {
            meta = publisher.publish("cam-7", 42, 1_700_000_000_000L, "mp4", data);
        }
        assertThat(meta.offset()).isZero();

        List<ConsumerRecord<byte[], byte[]>> records =
                TopicDrain.drain(KAFKA.bootstrapServers(), "segments-big", true, Duration.ofSeconds(30));
        assertThat(records).hasSize(1);
        Segment s = new SegmentDeserializationSchema(KAFKA.maxMessageBytes()).toSegment(records.get(0));
        assertThat(s.isValid()).as(s.invalidReason).isTrue();
        assertThat(s.streamId).isEqualTo("cam-7");
        assertThat(s.sequence).isEqualTo(42);
        assertThat(s.startMillis).isEqualTo(1_700_000_000_000L);
        assertThat(s.container).isEqualTo("mp4");
        assertThat(s.data).isEqualTo(data);
    }

    @Test
    void refusesSegmentAboveTheLimitWithAClearMessage() throws Exception {
        KAFKA.createTopic("segments-limit", 1);
        try (SegmentPublisher publisher = new SegmentPublisher(KAFKA.bootstrapServers(), "segments-limit",
                KAFKA.maxMessageBytes())) {
            byte[] tooBig = new byte[publisher.maxSegmentBytes() + 1];
            assertThatThrownBy(() -> publisher.publish("cam-1", 3, 0, "mpegts", tooBig))
                    .isInstanceOf(SegmentTooLargeException.class)
                    .hasMessageContaining("segment 3 of stream 'cam-1'")
                    .hasMessageContaining("max.message.bytes");
        }
        assertThat(TopicDrain.drain(KAFKA.bootstrapServers(), "segments-limit", false, Duration.ofSeconds(10)))
                .isEmpty();
    }
}

package io.streamvl.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.types.PojoTestUtils;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class SegmentDeserializationSchemaTest {
    private static final int MAX = 4096;
    private final SegmentDeserializationSchema schema = new SegmentDeserializationSchema(MAX);

    @Test
    void goodRecordBecomesValidSegmentWithSource() {
        RecordHeaders h = new RecordHeaders();
        SegmentHeaders.write(h, 5, 1234, "mp4");
        Segment s = single(record("cam-1", new byte[] {1, 2, 3}, h));
        assertThat(s.isValid()).isTrue();
        assertThat(s.streamId).isEqualTo("cam-1");
        assertThat(s.sequence).isEqualTo(5);
        assertThat(s.startMillis).isEqualTo(1234);
        assertThat(s.container).isEqualTo("mp4");
        assertThat(s.data).containsExactly(1, 2, 3);
        assertThat(s.sourceTopic).isEqualTo("segs");
        assertThat(s.sourcePartition).isEqualTo(2);
        assertThat(s.sourceOffset).isEqualTo(17);
    }

    @Test
    void badHeadersAreMarkedInvalidAndKeepTheData() {
        RecordHeaders h = new RecordHeaders();
        h.add(new RecordHeader(SegmentHeaders.SEQUENCE, "x1".getBytes(StandardCharsets.UTF_8)));
        h.add(new RecordHeader(SegmentHeaders.START_MILLIS, "10".getBytes(StandardCharsets.UTF_8)));
        Segment s = single(record("cam-1", new byte[] {9}, h));
        assertThat(s.isValid()).isFalse();
        assertThat(s.invalidReason).startsWith("bad-headers: ").contains(SegmentHeaders.SEQUENCE);
        assertThat(SegmentDeserializationSchema.dlqReason(s)).isEqualTo(DlqReason.BAD_HEADERS);
        assertThat(s.data).containsExactly(9);
        assertThat(s.sourceOffset).isEqualTo(17);

        Segment noHeaders = single(record("cam-1", new byte[] {9}, new RecordHeaders()));
        assertThat(noHeaders.invalidReason).contains("missing header");
    }

    @Test
    void missingOrEmptyKeyIsInvalid() {
        RecordHeaders h = new RecordHeaders();
        SegmentHeaders.write(h, 0, 0, "mpegts");
        assertThat(single(record(null, new byte[] {1}, h)).invalidReason).contains("no key");
        assertThat(single(record("", new byte[] {1}, h)).invalidReason).contains("no key");
    }

    @Test
    void oversizedValueKeepsOnlyItsFirstKilobyte() {
        RecordHeaders h = new RecordHeaders();
        SegmentHeaders.write(h, 1, 2, "mpegts");
        byte[] big = new byte[MAX + 1];
        big[0] = 42;
        Segment s = single(record("cam-2", big, h));
        assertThat(s.isValid()).isFalse();
        assertThat(SegmentDeserializationSchema.dlqReason(s)).isEqualTo(DlqReason.OVERSIZED);
        assertThat(s.invalidReason).contains(String.valueOf(MAX + 1));
        assertThat(s.data).hasSize(DlqRecord.MAX_PAYLOAD_PREFIX);
        assertThat(s.data[0]).isEqualTo((byte) 42);
        assertThat(s.streamId).isEqualTo("cam-2");
    }

    @Test
    void nullValueIsAnEmptySegment() {
        RecordHeaders h = new RecordHeaders();
        SegmentHeaders.write(h, 1, 2, "mpegts");
        Segment s = single(record("cam-3", null, h));
        assertThat(SegmentDeserializationSchema.dlqReason(s)).isEqualTo(DlqReason.EMPTY_SEGMENT);
        assertThat(s.data).isEmpty();
    }

    @Test
    void producedTypeIsAPojoSerializedWithoutKryo() {
        TypeInformation<Segment> type = schema.getProducedType();
        assertThat(type).isInstanceOf(PojoTypeInfo.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(Segment.class);
    }

    private Segment single(ConsumerRecord<byte[], byte[]> r) {
        List<Segment> out = new ArrayList<>();
        schema.deserialize(r, new ListCollector<>(out));
        assertThat(out).hasSize(1);
        return out.get(0);
    }

    private static ConsumerRecord<byte[], byte[]> record(String key, byte[] value, RecordHeaders headers) {
        byte[] k = key == null ? null : key.getBytes(StandardCharsets.UTF_8);
        return new ConsumerRecord<>("segs", 2, 17, 0L, TimestampType.CREATE_TIME, k == null ? -1 : k.length,
                value == null ? -1 : value.length, k, value, headers, Optional.empty());
    }

    private record ListCollector<T>(List<T> list) implements Collector<T> {
        @Override
        public void collect(T record) {
            list.add(record);
        }

        @Override
        public void close() {}
    }
}

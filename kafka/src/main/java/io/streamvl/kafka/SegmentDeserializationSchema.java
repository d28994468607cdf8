package io.streamvl.kafka;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Turns segment records into {@link Segment}s. Never throws and never drops: a record that is not a
 * usable segment comes out with {@link Segment#invalidReason} set, written as
 * {@code "<dlq-reason-code>: <explanation>"} (see {@link #dlqReason(Segment)}), so the job can send
 * it to the DLQ and carry on.
 */
public class SegmentDeserializationSchema implements KafkaRecordDeserializationSchema<Segment> {
    private static final long serialVersionUID = 1L;

    private final int maxSegmentBytes;

    public SegmentDeserializationSchema(int maxSegmentBytes) {
        this.maxSegmentBytes = maxSegmentBytes;
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Segment> out) {
        out.collect(toSegment(record));
    }

    Segment toSegment(ConsumerRecord<byte[], byte[]> record) {
        Segment s = new Segment();
        s.sourceTopic = record.topic();
        s.sourcePartition = record.partition();
        s.sourceOffset = record.offset();
        byte[] key = record.key();
        s.streamId = key == null ? null : new String(key, StandardCharsets.UTF_8);
        byte[] value = record.value();
        s.data = value == null ? new byte[0] : value;
        if (s.data.length > maxSegmentBytes) {
            // Keep only what the DLQ record can carry; holding the rest would defeat the limit.
            s.data = Arrays.copyOf(s.data, DlqRecord.MAX_PAYLOAD_PREFIX);
            s.invalidReason = invalid(DlqReason.OVERSIZED, "value of " + value.length
                    + " bytes exceeds the maximum segment size of " + maxSegmentBytes + " bytes");
            return s;
        }
        if (s.streamId == null || s.streamId.isEmpty()) {
            s.invalidReason = invalid(DlqReason.BAD_HEADERS, "record has no key (the stream id)");
            return s;
        }
        String headerProblem = SegmentHeaders.read(record.headers(), s);
        if (headerProblem != null) {
            s.invalidReason = invalid(DlqReason.BAD_HEADERS, headerProblem);
            return s;
        }
        if (s.data.length == 0) {
            s.invalidReason = invalid(DlqReason.EMPTY_SEGMENT, "record has no value");
        }
        return s;
    }

    /** The DLQ reason of an invalid segment; segments invalidated elsewhere count as corrupt. */
    public static DlqReason dlqReason(Segment segment) {
        String reason = segment.invalidReason;
        if (reason != null) {
            for (DlqReason r : DlqReason.values()) {
                if (reason.startsWith(r.code() + ":")) {
                    return r;
                }
            }
        }
        return DlqReason.CORRUPT_SEGMENT;
    }

    private static String invalid(DlqReason reason, String explanation) {
        return reason.code() + ": " + explanation;
    }

    @Override
    public TypeInformation<Segment> getProducedType() {
        return TypeInformation.of(Segment.class);
    }
}

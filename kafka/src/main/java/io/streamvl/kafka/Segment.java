package io.streamvl.kafka;

import java.util.Arrays;
import java.util.Objects;

/**
 * One self-contained encoded video segment of a live stream, as read from the segments topic.
 *
 * <p>A Flink POJO (public fields, no-arg constructor) so it is serialized without Kryo. When the
 * Kafka record could not be turned into a usable segment (missing or malformed headers), {@link
 * #invalidReason} says why and the decode operator routes the record to the DLQ instead of
 * decoding it: the deserializer never drops a record.
 */
public class Segment {
    public String streamId;
    /** Producer-assigned, increasing by one per segment of a stream; gaps reveal lost segments. */
    public long sequence;
    /** Wall-clock (event) time of the segment's first frame, epoch milliseconds. */
    public long startMillis;
    /** Container format name as FFmpeg knows it, e.g. {@code mpegts} or {@code mp4}. */
    public String container;
    public byte[] data;
    /** Where the record came from, for DLQ records and logs. */
    public String sourceTopic;
    public int sourcePartition;
    public long sourceOffset;
    /** Non-null when the record is not a usable segment. */
    public String invalidReason;

    public Segment() {}

    public Segment(String streamId, long sequence, long startMillis, String container, byte[] data) {
        this.streamId = streamId;
        this.sequence = sequence;
        this.startMillis = startMillis;
        this.container = container;
        this.data = data;
    }

    public boolean isValid() {
        return invalidReason == null;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Segment)) {
            return false;
        }
        Segment s = (Segment) o;
        return sequence == s.sequence
                && startMillis == s.startMillis
                && sourcePartition == s.sourcePartition
                && sourceOffset == s.sourceOffset
                && Objects.equals(streamId, s.streamId)
                && Objects.equals(container, s.container)
                && Arrays.equals(data, s.data)
                && Objects.equals(sourceTopic, s.sourceTopic)
                && Objects.equals(invalidReason, s.invalidReason);
    }

    @Override
    public int hashCode() {
        return Objects.hash(streamId, sequence, startMillis, sourceOffset);
    }

    @Override
    public String toString() {
        return "Segment{" + streamId + " #" + sequence + " @" + startMillis + " " + container + " "
                + (data == null ? 0 : data.length) + " B"
                + (invalidReason == null ? "" : " invalid: " + invalidReason) + "}";
    }
}

package io.streamvl.operators.ingest;

import io.streamvl.kafka.IngestStatus;

/** Ingest counters of one stream for one event-time window, kept in keyed state. A Flink POJO. */
public class WindowStats {
    public long segments;
    public long framesDecoded;
    public long framesSampled;
    public long sequenceGaps;
    public long decodeErrors;
    public long newestFrameMillis = Long.MIN_VALUE;

    public WindowStats() {}

    void frameDecoded(long eventTimeMillis) {
        framesDecoded++;
        newestFrameMillis = Math.max(newestFrameMillis, eventTimeMillis);
    }

    IngestStatus toStatus(String streamId, long windowStart, long windowEnd) {
        IngestStatus s = new IngestStatus();
        s.streamId = streamId;
        s.windowStartMillis = windowStart;
        s.windowEndMillis = windowEnd;
        s.segments = segments;
        s.framesDecoded = framesDecoded;
        s.framesSampled = framesSampled;
        s.sequenceGaps = sequenceGaps;
        s.decodeErrors = decodeErrors;
        s.newestFrameMillis = newestFrameMillis == Long.MIN_VALUE ? null : newestFrameMillis;
        return s;
    }
}

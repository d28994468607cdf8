package io.streamvl.kafka;

/**
 * Per-stream ingest health for one event-time window, published to the events topic (key: the
 * stream id) so that {@code streamvl tail streamvl.events} shows ingest working.
 */
public class IngestStatus {
    public static final int SCHEMA = 1;
    public static final String TYPE = "ingest-status";

    public int schema = SCHEMA;
    public String type = TYPE;
    public String streamId;
    /** Window bounds, event time, epoch milliseconds; end exclusive. */
    public long windowStartMillis;
    public long windowEndMillis;
    public long segments;
    public long framesDecoded;
    public long framesSampled;
    /** Segments missing by sequence number (a jump from n to n+3 counts 2). */
    public long sequenceGaps;
    public long decodeErrors;
    /** Event time of the newest frame decoded in the window, or null when none was. */
    public Long newestFrameMillis;
    /** Frames held in this stream's video memory when the window closed. */
    public long memoryFrames;
    public long memoryBytes;

    public IngestStatus() {}
}

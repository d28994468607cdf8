package io.streamvl.kafka;

/** A live caption of one stream's event-time window (captions topic, key: stream id). */
public class Caption {
    public static final int SCHEMA = 1;

    public int schema = SCHEMA;
    public String streamId;
    /** Window, event time, epoch ms, end exclusive. */
    public long windowStartMillis;
    public long windowEndMillis;
    public String caption;
    public String mode;
    public String model;
    /** Sampled frames the caption is based on. */
    public int frames;
    /** From the window's end (event time) to the caption, wall-clock ms. */
    public Long latencyMillis;

    public Caption() {}
}

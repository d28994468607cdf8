package io.streamvl.ingest;

import java.util.Arrays;
import java.util.Objects;

/**
 * A frame chosen by the sampler, kept compactly: JPEG at the model's input resolution (already
 * resized with the configured resize mode), so it can be stored in the video memory and turned
 * into model input later without the original video. A Flink POJO.
 */
public class SampledFrame {
    public String streamId;
    /** Event time: segment start (or video start) plus the frame's presentation time, epoch ms. */
    public long eventTimeMillis;
    /** Presentation time inside its segment or file, microseconds. */
    public long ptsMicros;
    /** Sequence number of the segment it came from (-1 for a video file). */
    public long segmentSequence;
    /** Width and height of the source video. */
    public int sourceWidth;
    public int sourceHeight;
    /** Width and height of the JPEG (the model input size). */
    public int width;
    public int height;
    public byte[] jpeg;

    public SampledFrame() {}

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SampledFrame)) {
            return false;
        }
        SampledFrame f = (SampledFrame) o;
        return eventTimeMillis == f.eventTimeMillis
                && ptsMicros == f.ptsMicros
                && segmentSequence == f.segmentSequence
                && sourceWidth == f.sourceWidth
                && sourceHeight == f.sourceHeight
                && width == f.width
                && height == f.height
                && Objects.equals(streamId, f.streamId)
                && Arrays.equals(jpeg, f.jpeg);
    }

    @Override
    public int hashCode() {
        return Objects.hash(streamId, eventTimeMillis, ptsMicros);
    }

    @Override
    public String toString() {
        return "SampledFrame{" + streamId + " @" + eventTimeMillis + " pts=" + ptsMicros + " seg="
                + segmentSequence + " " + width + "x" + height + " " + (jpeg == null ? 0 : jpeg.length) + " B}";
    }
}

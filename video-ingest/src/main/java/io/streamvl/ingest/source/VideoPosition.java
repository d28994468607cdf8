package io.streamvl.ingest.source;

import io.streamvl.ingest.FrameSampler;

/**
 * How far a split has been read: everything up to and including this frame has been decoded
 * and, if sampled, emitted. A restored reader continues with the next frame, so sampling and
 * counts continue exactly as in an uninterrupted run.
 *
 * @param ptsMicros pts of the last processed frame (meaningless while {@link #framesDecoded} is 0)
 * @param framesAtPts how many processed frames carry exactly that pts; broken timestamps can
 *     repeat a pts, and only that many of them may be skipped on restore
 * @param lastTick the sampler's last tick, {@link FrameSampler#NO_TICK} if nothing was sampled
 * @param framesDecoded frames processed so far
 * @param framesSampled frames emitted so far
 */
public record VideoPosition(long ptsMicros, int framesAtPts, long lastTick, long framesDecoded,
        long framesSampled) {

    public static final VideoPosition START = new VideoPosition(0L, 0, FrameSampler.NO_TICK, 0L, 0L);

    public boolean started() {
        return framesDecoded > 0;
    }
}

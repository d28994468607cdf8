package io.streamvl.ingest;

import java.io.Serializable;

/**
 * Picks at most one frame per tick of a fixed-rate clock anchored at event time 0. Tick of time
 * t (microseconds) is floor(t * fps / 1e6), so which frames are sampled depends only on their
 * event times, not on how the stream was cut into segments or where decoding resumed. A frame
 * is sampled when it is the first one seen in a tick newer than the last sampled tick; frames in
 * that tick or older ones (late or out of order) are not.
 */
public final class FrameSampler implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final long NO_TICK = Long.MIN_VALUE;
    private static final long MICROS = 1_000_000L;

    private final double framesPerSecond;
    private long lastTick = NO_TICK;

    public FrameSampler(double framesPerSecond) {
        if (!(framesPerSecond > 0) || Double.isInfinite(framesPerSecond)) {
            throw new IllegalArgumentException("sampling rate must be positive and finite: " + framesPerSecond);
        }
        this.framesPerSecond = framesPerSecond;
    }

    public double framesPerSecond() {
        return framesPerSecond;
    }

    /** Whether the frame at this event time (microseconds) is sampled; advances the last tick if so. */
    public boolean sample(long eventTimeMicros) {
        long tick = tickOf(eventTimeMicros);
        if (lastTick != NO_TICK && tick <= lastTick) {
            return false;
        }
        lastTick = tick;
        return true;
    }

    /**
     * Whole seconds and the sub-second rest are scaled separately, so epoch-scale times keep
     * microsecond precision in a double and tick boundaries such as 0.4 s at 2.5 fps are exact.
     */
    public long tickOf(long eventTimeMicros) {
        long seconds = Math.floorDiv(eventTimeMicros, MICROS);
        long micros = Math.floorMod(eventTimeMicros, MICROS);
        double wholeTicks = Math.floor(seconds * framesPerSecond);
        double rest = seconds * framesPerSecond - wholeTicks + micros * framesPerSecond / MICROS;
        return (long) wholeTicks + (long) Math.floor(rest);
    }

    /** The last sampled tick, or {@link #NO_TICK}; what a stateful operator checkpoints. */
    public long lastTick() {
        return lastTick;
    }

    public void restoreLastTick(long tick) {
        this.lastTick = tick;
    }
}

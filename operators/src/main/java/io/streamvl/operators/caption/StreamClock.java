package io.streamvl.operators.caption;

import io.streamvl.operators.clock.StreamClocks;

/**
 * One stream's own event-time clock, as keyed state of the operators whose windows close on it
 * ({@link StreamClocks}): never on another stream's events. A Flink POJO; it stays in this package, where live
 * captions introduced it, because its class name is part of their savepoints.
 */
public class StreamClock {
    /** {@link #oldestOpenWindow} when the stream has no window holding state. */
    public static final long NO_WINDOW = Long.MAX_VALUE;

    /**
     * Event time through which the stream's windows are closed: its newest event time minus the out-of-orderness,
     * or the fire time of the last window an idle timeout closed, whichever is later.
     */
    public long eventTime = Long.MIN_VALUE;
    /** Start of the oldest window holding state: an event that closes no window needs no scan of them. */
    public long oldestOpenWindow = NO_WINDOW;
    /** Processing time of the stream's last event (a frame, or a segment) taken into a window. */
    public long lastFrameAt = Long.MIN_VALUE;
    /** Whether the stream's one idle check timer is registered. */
    public boolean idleCheckArmed;

    public StreamClock() {}

    public static StreamClock withOldestOpenWindow(long windowStart) {
        StreamClock c = new StreamClock();
        c.oldestOpenWindow = windowStart;
        return c;
    }

    public boolean hasOpenWindow() {
        return oldestOpenWindow != NO_WINDOW;
    }

    public void opened(long windowStart) {
        oldestOpenWindow = Math.min(oldestOpenWindow, windowStart);
    }

    public void advanceTo(long t) {
        eventTime = Math.max(eventTime, t);
    }
}

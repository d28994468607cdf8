package io.streamvl.operators.caption;

/**
 * One stream's own event-time clock in a {@link CaptionWindowFunction}, as keyed state: its windows close on it,
 * never on another stream's frames. A Flink POJO.
 */
public class StreamClock {
    /** {@link #oldestOpenWindow} when the stream has no window with running sums. */
    public static final long NO_WINDOW = Long.MAX_VALUE;

    /**
     * Event time through which the stream's windows are closed: its newest frame's event time minus the
     * out-of-orderness, or the fire time of the last window an idle timeout closed, whichever is later.
     */
    public long eventTime = Long.MIN_VALUE;
    /** Start of the oldest window with running sums: a frame that closes no window needs no scan of them. */
    public long oldestOpenWindow = NO_WINDOW;
    /** Processing time of the stream's last frame taken into a window. */
    public long lastFrameAt = Long.MIN_VALUE;
    /** Whether the stream's one idle check timer is registered. */
    public boolean idleCheckArmed;

    public StreamClock() {}

    static StreamClock withOldestOpenWindow(long windowStart) {
        StreamClock c = new StreamClock();
        c.oldestOpenWindow = windowStart;
        return c;
    }

    boolean hasOpenWindow() {
        return oldestOpenWindow != NO_WINDOW;
    }

    void opened(long windowStart) {
        oldestOpenWindow = Math.min(oldestOpenWindow, windowStart);
    }

    void advanceTo(long t) {
        eventTime = Math.max(eventTime, t);
    }
}

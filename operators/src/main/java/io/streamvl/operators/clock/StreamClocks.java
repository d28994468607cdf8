package io.streamvl.operators.clock;

import io.streamvl.operators.caption.StreamClock;
import java.util.NavigableSet;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.streaming.api.TimerService;

/**
 * Each stream's own event-time clock, in keyed state, and the closing of the stream's windows on it: its newest
 * event time minus the out-of-orderness, once that passes a window's end plus the allowed lateness. Not on the
 * job's watermark, which is the minimum over all cameras and source partitions: when one camera pauses for
 * longer than the source idleness the watermark moves on with the others, and the paused camera's windows would
 * close early, then open again for its events when it resumes.
 *
 * <p>A stream that sends no event for the idle timeout (processing time) counts as stopped: its open windows close
 * and its clock moves past them. Idle time counts from the stream's last event or from when the operator started
 * running, whichever is later, so that a job restored after a pause does not close windows whose events are still
 * waiting in Kafka. Each stream has at most one idle check timer pending (processing time); it re-arms itself while
 * events keep coming, and the operator calls {@link #idleCheck} when it fires.
 *
 * <p>One per operator instance, made in {@code open()} over the operator's clock state; the operator keeps its
 * windows' own state and lends it through {@link Windows}.
 */
public final class StreamClocks {
    /** The current stream's windows, as the operator keeps them. */
    public interface Windows {
        /** Starts of the current stream's windows that hold state, oldest first. */
        NavigableSet<Long> open() throws Exception;

        /** Emits the window's records and clears its state. */
        void close(long windowStart) throws Exception;
    }

    private final StreamClockSettings settings;
    private final ValueState<StreamClock> clocks;
    /** Processing time of the first call since the operator was opened (or restored); idle time counts from it. */
    private Long runningSince;

    public StreamClocks(StreamClockSettings settings, ValueState<StreamClock> clocks) {
        this.settings = settings;
        this.clocks = clocks;
    }

    public StreamClockSettings settings() {
        return settings;
    }

    /**
     * The current stream's clock, for an event that arrives now; a new one for a new stream, or for windows
     * restored from a version that closed them on the job's watermark, which kept no clock.
     */
    public StreamClock current(TimerService timers, Windows windows) throws Exception {
        markRunning(timers.currentProcessingTime());
        StreamClock clock = clocks.value();
        if (clock != null) {
            return clock;
        }
        NavigableSet<Long> open = windows.open();
        return StreamClock.withOldestOpenWindow(open.isEmpty() ? StreamClock.NO_WINDOW : open.first());
    }

    /** Whether the stream's clock has closed the window: what comes for it now is late. */
    public boolean hasClosed(StreamClock clock, long windowStart) {
        return settings.fireTimeOf(windowStart) <= clock.eventTime;
    }

    /**
     * After the current stream's event at {@code eventTime} went into windows from {@code oldestWindow} on: moves the
     * stream's clock, closes the windows it passed, arms the idle check while windows stay open, and saves the clock.
     */
    public void took(StreamClock clock, long oldestWindow, long eventTime, TimerService timers, Windows windows)
            throws Exception {
        long now = timers.currentProcessingTime();
        clock.opened(oldestWindow);
        clock.lastFrameAt = now;
        clock.advanceTo(eventTime - settings.outOfOrderness().toMillis());
        close(clock, clock.eventTime, windows);
        if (clock.hasOpenWindow() && !clock.idleCheckArmed) {
            timers.registerProcessingTimeTimer(now + settings.idleTimeout().toMillis());
            clock.idleCheckArmed = true;
        }
        clocks.update(clock);
    }

    /**
     * The current stream's idle check, when its processing-time timer fires: closes its open windows if it has been
     * quiet for the idle timeout, else re-arms. Also when an event-time timer of a version that closed windows on
     * the job's watermark fires: such windows have no clock and no idle check, so one is started for them, and
     * they close like any other stream's if no segment comes for the idle timeout after the restore.
     */
    public void idleCheck(TimerService timers, Windows windows) throws Exception {
        // not the timer's timestamp: a timer restored from before a pause fires late, and the pause is not idleness
        long now = timers.currentProcessingTime();
        StreamClock clock = current(timers, windows);
        if (!clock.hasOpenWindow() && !clock.idleCheckArmed) {
            return; // nothing to close and nothing to disarm: keep a stream without windows out of the state
        }
        clock.idleCheckArmed = false;
        long quietSince = Math.max(clock.lastFrameAt, runningSince);
        long idle = settings.idleTimeout().toMillis();
        if (now - quietSince >= idle) {
            close(clock, Long.MAX_VALUE, windows);
        } else if (clock.hasOpenWindow()) {
            timers.registerProcessingTimeTimer(quietSince + idle);
            clock.idleCheckArmed = true;
        }
        clocks.update(clock);
    }

    private void markRunning(long now) {
        if (runningSince == null) {
            runningSince = now;
        }
    }

    /** Closes, in order, the open windows whose fire time is at most {@code through}, and moves the clock past them. */
    private void close(StreamClock clock, long through, Windows windows) throws Exception {
        if (!clock.hasOpenWindow() || settings.fireTimeOf(clock.oldestOpenWindow) > through) {
            return;
        }
        clock.oldestOpenWindow = StreamClock.NO_WINDOW;
        for (long windowStart : windows.open()) {
            long fireAt = settings.fireTimeOf(windowStart);
            if (fireAt > through) {
                clock.oldestOpenWindow = windowStart;
                return;
            }
            windows.close(windowStart);
            clock.advanceTo(fireAt);
        }
    }
}

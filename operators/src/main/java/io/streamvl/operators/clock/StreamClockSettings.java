package io.streamvl.operators.clock;

import java.io.Serializable;
import java.time.Duration;

/**
 * When a stream's event-time windows close on its own clock ({@link StreamClocks}): the same for its caption
 * windows and its ingest status windows, so that both cover the same frames.
 *
 * @param window window length, event time; windows start at multiples of it since the epoch
 * @param allowedLateness how long after a window's end (event time) its events still count; the window waits for it
 * @param outOfOrderness how far a stream's events may arrive behind its newest one: the stream's clock is its newest
 *     event time minus this
 * @param idleTimeout processing time without an event after which a stream counts as stopped and its open windows
 *     close
 */
public record StreamClockSettings(Duration window, Duration allowedLateness, Duration outOfOrderness,
        Duration idleTimeout) implements Serializable {
    public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(10);
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(1);

    public StreamClockSettings {
        if (window.isZero() || window.isNegative() || allowedLateness.isNegative() || outOfOrderness.isNegative()) {
            throw new IllegalArgumentException("window must be positive, lateness and out-of-orderness not negative, "
                    + "got " + window + ", " + allowedLateness + " and " + outOfOrderness);
        }
        if (idleTimeout.isZero() || idleTimeout.isNegative()) {
            throw new IllegalArgumentException("idle timeout must be positive, got " + idleTimeout);
        }
    }

    /** 10 s windows, no lateness, no out-of-orderness, 1 min idle timeout. */
    public static StreamClockSettings defaults() {
        return new StreamClockSettings(DEFAULT_WINDOW, Duration.ZERO, Duration.ZERO, DEFAULT_IDLE_TIMEOUT);
    }

    public StreamClockSettings withLateness(Duration lateness) {
        return new StreamClockSettings(window, lateness, outOfOrderness, idleTimeout);
    }

    public StreamClockSettings withOutOfOrderness(Duration outOfOrder) {
        return new StreamClockSettings(window, allowedLateness, outOfOrder, idleTimeout);
    }

    public long windowStartOf(long eventTimeMillis) {
        return Math.floorDiv(eventTimeMillis, window.toMillis()) * window.toMillis();
    }

    /** The window's end, exclusive. */
    public long windowEndOf(long windowStart) {
        return windowStart + window.toMillis();
    }

    /** The stream clock at which a window closes: its last millisecond plus the lateness. */
    public long fireTimeOf(long windowStart) {
        return windowEndOf(windowStart) - 1 + allowedLateness.toMillis();
    }

    /** How long a window can stay open on event time alone: window, lateness and out-of-orderness together. */
    public Duration openSpan() {
        return window.plus(allowedLateness).plus(outOfOrderness);
    }
}

package io.streamvl.operators.caption;

import io.streamvl.operators.model.ModelSettings;
import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * How {@link LiveCaptionFunction} captions live streams.
 *
 * @param model the llava-mini bundle and how it runs
 * @param window caption window length, event time; windows start at multiples of it since the epoch
 * @param allowedLateness how long after a window's end (event time) its frames are still taken; the
 *     caption waits for it
 * @param outOfOrderness how far a stream's frames may arrive behind its newest one: the stream's clock is
 *     its newest frame's event time minus this
 * @param idleTimeout processing time without a frame after which a stream counts as stopped and its open
 *     windows are captioned
 * @param captionPrompt the prompt every window is captioned with
 * @param maxNewTokens tokens a caption or a standing question's answer may have at most
 * @param stateTtl processing time after which a window's running sums are dropped if they were never
 *     captioned; longer than the idle timeout and than window, lateness and out-of-orderness together
 */
public record LiveCaptionSettings(ModelSettings model, Duration window, Duration allowedLateness,
        Duration outOfOrderness, Duration idleTimeout, String captionPrompt, int maxNewTokens, Duration stateTtl)
        implements Serializable {
    public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(10);
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(1);
    public static final String DEFAULT_PROMPT = "Describe the video.";
    public static final int DEFAULT_MAX_NEW_TOKENS = 64;
    public static final Duration DEFAULT_STATE_TTL = Duration.ofHours(1);

    public LiveCaptionSettings {
        Objects.requireNonNull(model, "model");
        if (window.isZero() || window.isNegative() || allowedLateness.isNegative() || outOfOrderness.isNegative()) {
            throw new IllegalArgumentException("caption window must be positive, lateness and out-of-orderness not "
                    + "negative, got " + window + ", " + allowedLateness + " and " + outOfOrderness);
        }
        if (idleTimeout.isZero() || idleTimeout.isNegative()) {
            throw new IllegalArgumentException("caption idle timeout must be positive, got " + idleTimeout);
        }
        if (captionPrompt == null || captionPrompt.isBlank()) {
            throw new IllegalArgumentException("the caption prompt is empty");
        }
        if (maxNewTokens < 1) {
            throw new IllegalArgumentException("captions need at least one new token, got " + maxNewTokens);
        }
        Duration open = window.plus(allowedLateness).plus(outOfOrderness);
        if (stateTtl.compareTo(open) <= 0 || stateTtl.compareTo(idleTimeout) <= 0) {
            throw new IllegalArgumentException("caption state TTL " + stateTtl + " must exceed window plus lateness "
                    + "plus out-of-orderness (" + open + ") and the idle timeout (" + idleTimeout + ")");
        }
    }

    /**
     * 10 s windows, no lateness, no out-of-orderness, 1 min idle timeout, "Describe the video.", 64 tokens, 1 h TTL.
     */
    public static LiveCaptionSettings defaults(ModelSettings model) {
        return new LiveCaptionSettings(model, DEFAULT_WINDOW, Duration.ZERO, Duration.ZERO, DEFAULT_IDLE_TIMEOUT,
                DEFAULT_PROMPT, DEFAULT_MAX_NEW_TOKENS, DEFAULT_STATE_TTL);
    }

    public LiveCaptionSettings withWindow(Duration w, Duration lateness) {
        return new LiveCaptionSettings(model, w, lateness, outOfOrderness, idleTimeout, captionPrompt, maxNewTokens,
                stateTtl);
    }

    public LiveCaptionSettings withClock(Duration outOfOrder, Duration idle) {
        return new LiveCaptionSettings(model, window, allowedLateness, outOfOrder, idle, captionPrompt, maxNewTokens,
                stateTtl);
    }

    public LiveCaptionSettings withCaptionPrompt(String prompt, int maxTokens) {
        return new LiveCaptionSettings(model, window, allowedLateness, outOfOrderness, idleTimeout, prompt, maxTokens,
                stateTtl);
    }

    public long windowStartOf(long eventTimeMillis) {
        return Math.floorDiv(eventTimeMillis, window.toMillis()) * window.toMillis();
    }

    /** The stream clock at which a window's captions are generated: its last millisecond plus the lateness. */
    public long fireTimeOf(long windowStart) {
        return windowStart + window.toMillis() - 1 + allowedLateness.toMillis();
    }
}

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
 * @param captionPrompt the prompt every window is captioned with
 * @param maxNewTokens tokens a caption or a standing question's answer may have at most
 * @param stateTtl processing time after which a window's running sums are dropped if no watermark
 *     fired it (a stalled watermark); longer than window plus lateness
 */
public record LiveCaptionSettings(ModelSettings model, Duration window, Duration allowedLateness, String captionPrompt,
        int maxNewTokens, Duration stateTtl) implements Serializable {
    public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(10);
    public static final String DEFAULT_PROMPT = "Describe the video.";
    public static final int DEFAULT_MAX_NEW_TOKENS = 64;
    public static final Duration DEFAULT_STATE_TTL = Duration.ofHours(1);

    public LiveCaptionSettings {
        Objects.requireNonNull(model, "model");
        if (window.isZero() || window.isNegative() || allowedLateness.isNegative()) {
            throw new IllegalArgumentException("caption window must be positive and lateness not negative, got "
                    + window + " and " + allowedLateness);
        }
        if (captionPrompt == null || captionPrompt.isBlank()) {
            throw new IllegalArgumentException("the caption prompt is empty");
        }
        if (maxNewTokens < 1) {
            throw new IllegalArgumentException("captions need at least one new token, got " + maxNewTokens);
        }
        if (stateTtl.compareTo(window.plus(allowedLateness)) <= 0) {
            throw new IllegalArgumentException("caption state TTL " + stateTtl + " must exceed window plus lateness ("
                    + window.plus(allowedLateness) + ")");
        }
    }

    /** 10 s windows, no lateness, "Describe the video.", 64 tokens, 1 h TTL. */
    public static LiveCaptionSettings defaults(ModelSettings model) {
        return new LiveCaptionSettings(model, DEFAULT_WINDOW, Duration.ZERO, DEFAULT_PROMPT, DEFAULT_MAX_NEW_TOKENS,
                DEFAULT_STATE_TTL);
    }

    public LiveCaptionSettings withWindow(Duration w, Duration lateness) {
        return new LiveCaptionSettings(model, w, lateness, captionPrompt, maxNewTokens, stateTtl);
    }

    public LiveCaptionSettings withCaptionPrompt(String prompt, int maxTokens) {
        return new LiveCaptionSettings(model, window, allowedLateness, prompt, maxTokens, stateTtl);
    }

    public long windowStartOf(long eventTimeMillis) {
        return Math.floorDiv(eventTimeMillis, window.toMillis()) * window.toMillis();
    }

    /** The event time at which a window's captions are generated: its last millisecond plus the lateness. */
    public long fireTimeOf(long windowStart) {
        return windowStart + window.toMillis() - 1 + allowedLateness.toMillis();
    }

    public long windowStartOfFireTime(long fireTime) {
        return fireTime + 1 - allowedLateness.toMillis() - window.toMillis();
    }
}

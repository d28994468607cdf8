package io.streamvl.operators.caption;

import io.streamvl.operators.clock.StreamClockSettings;
import io.streamvl.operators.model.ModelSettings;
import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * How {@link CaptionWindowFunction}s caption live streams.
 *
 * @param model the bundle and how it runs
 * @param clock when a stream's caption windows close: window, lateness, out-of-orderness, idle timeout
 * @param captionPrompt the prompt every window is captioned with
 * @param maxNewTokens tokens a caption or a standing question's answer may have at most
 * @param stateTtl processing time after which a window's state is dropped if it was never captioned; longer than
 *     the idle timeout and than window, lateness and out-of-orderness together
 */
public record LiveCaptionSettings(ModelSettings model, StreamClockSettings clock, String captionPrompt,
        int maxNewTokens, Duration stateTtl) implements Serializable {
    public static final String DEFAULT_PROMPT = "Describe the video.";
    public static final int DEFAULT_MAX_NEW_TOKENS = 64;
    public static final Duration DEFAULT_STATE_TTL = Duration.ofHours(1);

    public LiveCaptionSettings {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(clock, "clock");
        if (captionPrompt == null || captionPrompt.isBlank()) {
            throw new IllegalArgumentException("the caption prompt is empty");
        }
        if (maxNewTokens < 1) {
            throw new IllegalArgumentException("captions need at least one new token, got " + maxNewTokens);
        }
        Duration open = clock.openSpan();
        if (stateTtl.compareTo(open) <= 0 || stateTtl.compareTo(clock.idleTimeout()) <= 0) {
            throw new IllegalArgumentException("caption state TTL " + stateTtl + " must exceed window plus lateness "
                    + "plus out-of-orderness (" + open + ") and the idle timeout (" + clock.idleTimeout() + ")");
        }
    }

    /** {@link StreamClockSettings#defaults()}, "Describe the video.", 64 tokens, 1 h TTL. */
    public static LiveCaptionSettings defaults(ModelSettings model) {
        return new LiveCaptionSettings(model, StreamClockSettings.defaults(), DEFAULT_PROMPT, DEFAULT_MAX_NEW_TOKENS,
                DEFAULT_STATE_TTL);
    }

    public LiveCaptionSettings withClock(StreamClockSettings c) {
        return new LiveCaptionSettings(model, c, captionPrompt, maxNewTokens, stateTtl);
    }

    public LiveCaptionSettings withCaptionPrompt(String prompt, int maxTokens) {
        return new LiveCaptionSettings(model, clock, prompt, maxTokens, stateTtl);
    }
}

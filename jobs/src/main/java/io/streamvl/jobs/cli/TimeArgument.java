package io.streamvl.jobs.cli;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.apache.flink.util.TimeUtils;

/** The times `streamvl ask --from/--to` take, as epoch or media milliseconds. */
final class TimeArgument {
    private TimeArgument() {}

    /**
     * A point in a stream's event time: epoch milliseconds ({@code 1764151320000}), an ISO-8601 instant
     * ({@code 2026-11-26T10:02:00Z}), or a duration before {@code nowMillis} ({@code -5min}).
     */
    static long eventTime(String text, long nowMillis) {
        String t = text.strip();
        try {
            if (t.matches("\\d+")) {
                return Long.parseLong(t);
            }
            if (t.startsWith("-")) {
                return nowMillis - TimeUtils.parseDuration(t.substring(1)).toMillis();
            }
            return Instant.parse(t).toEpochMilli();
        } catch (DateTimeParseException | IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is not a time: give epoch milliseconds, an ISO-8601"
                    + " instant such as 2026-11-26T10:02:00Z, or a duration ago such as -5min");
        }
    }

    /** A point in a video file: milliseconds from its start ({@code 1500}) or a duration ({@code 90s}, {@code 2 min}). */
    static long mediaTime(String text) {
        String t = text.strip();
        try {
            return t.matches("\\d+") ? Long.parseLong(t) : TimeUtils.parseDuration(t).toMillis();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is not a time in the video: give milliseconds or a"
                    + " duration such as 90s");
        }
    }
}

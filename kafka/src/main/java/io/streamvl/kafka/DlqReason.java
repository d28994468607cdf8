package io.streamvl.kafka;

/** Why an input went to the DLQ. The code is what the record's {@code reason} field holds. */
public enum DlqReason {
    /** Kafka headers missing or malformed. */
    BAD_HEADERS("bad-headers"),
    /** A file or URL that cannot be read at all: missing, no permission, host unreachable, HTTP error. */
    UNREADABLE_INPUT("unreadable-input"),
    /** The container could not be opened or parsed (corrupt or truncated bytes). */
    CORRUPT_SEGMENT("corrupt-segment"),
    /** FFmpeg has no decoder for the stream's codec, or the input has no video stream. */
    UNSUPPORTED_CODEC("unsupported-codec"),
    /** Width or height above the configured limit (default 8192 px a side). */
    ABSURD_DIMENSIONS("absurd-dimensions"),
    /** The record is larger than the configured maximum segment size. */
    OVERSIZED("oversized"),
    /** Segment decoded, but no frame at all came out of it. */
    EMPTY_SEGMENT("empty-segment"),
    /** A frame arrived for a window already closed beyond the allowed lateness. */
    LATE("late");

    private final String code;

    DlqReason(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}

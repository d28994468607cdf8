package io.streamvl.kafka;

/** Values of {@link Answer#status}. */
public final class AnswerStatus {
    public static final String OK = "ok";
    public static final String MALFORMED_QUERY = "malformed-query";
    public static final String INVALID_QUERY = "invalid-query";
    public static final String QUESTION_TOO_LONG = "question-too-long";
    public static final String UNKNOWN_STREAM = "unknown-stream";
    public static final String EMPTY_RANGE = "empty-range";
    public static final String BEYOND_RETENTION = "beyond-retention";
    public static final String UNREADABLE_VIDEO = "unreadable-video";
    public static final String UNSUPPORTED_MODE = "unsupported-mode";
    public static final String MODEL_ERROR = "model-error";

    private AnswerStatus() {}
}

package io.streamvl.kafka;

/**
 * A request on the queries topic (key: stream id or video URI). {@code kind} says what it asks for:
 * <ul>
 *   <li>{@code ask} (default): one answer about a live stream's history ({@link #streamId}, optional event-time
 *       range) or about a video file/URL ({@link #videoUri}), on the answers topic under {@link #queryId};</li>
 *   <li>{@code standing}: register (or replace) the standing question {@link #queryId} on {@link #streamId}, or on
 *       every stream when it is absent; evaluated every caption window, an alert when its answer changes or
 *       contains {@link #trigger};</li>
 *   <li>{@code cancel}: remove the standing question {@link #queryId}.</li>
 * </ul>
 * Validation lives with the operators that read it; this is the wire shape only.
 */
public class Query {
    public static final int SCHEMA = 1;
    public static final String KIND_ASK = "ask";
    public static final String KIND_STANDING = "standing";
    public static final String KIND_CANCEL = "cancel";

    public int schema = SCHEMA;
    public String queryId;
    public String kind;
    public String streamId;
    public String videoUri;
    public String question;
    /** Event-time range, epoch ms, end exclusive; either may be absent (the whole retained history). */
    public Long fromMillis;
    public Long toMillis;
    /** {@code llava-mini}, {@code ts-llava} or {@code auto} (default). */
    public String mode;
    public Integer maxTokens;
    /** For standing questions: an alert whenever the answer contains this word, not only when it changes. */
    public String trigger;
    /** Client's send time, epoch ms, for latency; optional. */
    public Long sentMillis;

    public Query() {}

    /** {@link #kind}, defaulting to {@link #KIND_ASK}. */
    public String kindOrDefault() {
        return kind == null || kind.isBlank() ? KIND_ASK : kind;
    }
}

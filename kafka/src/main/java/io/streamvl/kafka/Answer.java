package io.streamvl.kafka;

/**
 * The one answer to a query (answers topic, key: query id). Every query gets one, whatever went wrong:
 * {@link #status} is {@code ok} or an error code ({@link AnswerStatus}) with a {@link #message}.
 */
public class Answer {
    public static final int SCHEMA = 1;

    public int schema = SCHEMA;
    public String queryId;
    public String streamId;
    public String videoUri;
    public String question;
    public String answer;
    public String status;
    public String message;
    public String mode;
    public String model;
    /** Sampled frames the answer is based on. */
    public int framesUsed;
    /** Event-time range of those frames, epoch ms (stream queries) or media time, ms (files); end exclusive. */
    public Long rangeStartMillis;
    public Long rangeEndMillis;
    /** From the query's arrival (or its {@code sentMillis}) to the answer, ms. */
    public Long latencyMillis;
    public Integer tokens;

    public Answer() {}

    /** An error answer to a query that cannot be answered. */
    public static Answer error(Query query, String status, String message) {
        Answer a = new Answer();
        if (query != null) {
            a.queryId = query.queryId;
            a.streamId = query.streamId;
            a.videoUri = query.videoUri;
            a.question = query.question;
            a.mode = query.mode;
        }
        a.status = status;
        a.message = message;
        return a;
    }
}

package io.streamvl.operators.query;

import io.streamvl.kafka.Answer;
import io.streamvl.kafka.AnswerStatus;
import io.streamvl.kafka.QueryProgress;

/**
 * The progress events of a query and where each stage sits on the 0..1 scale of the whole query: decoding a
 * file takes the first half, encoding the frames starts at 0.5 (a history query goes straight there), and
 * generation at 0.7. Every query ends with exactly one {@code done} or {@code failed}, made from its answer
 * by {@link #finished}.
 */
public final class ProgressEvents {
    static final double DECODING_END = 0.5;
    static final double ENCODING = 0.5;
    static final double GENERATING = 0.7;

    private ProgressEvents() {}

    public static QueryProgress accepted(String queryId, String message, long nowMillis) {
        return QueryProgress.of(queryId, QueryProgress.ACCEPTED, 0.0, message, nowMillis);
    }

    /** @param decoded fraction of the file decoded so far, 0..1 */
    public static QueryProgress decoding(String queryId, double decoded, String message, long nowMillis) {
        double f = Math.max(0.0, Math.min(1.0, decoded));
        return QueryProgress.of(queryId, QueryProgress.DECODING, f * DECODING_END, message, nowMillis);
    }

    public static QueryProgress encoding(String queryId, int frames, long nowMillis) {
        return QueryProgress.of(queryId, QueryProgress.ENCODING, ENCODING, "encoding " + frames + " frames",
                nowMillis);
    }

    public static QueryProgress generating(String queryId, long nowMillis) {
        return QueryProgress.of(queryId, QueryProgress.GENERATING, GENERATING, null, nowMillis);
    }

    /** The final event of the query this answers: {@code done} for an {@code ok} answer, else {@code failed}. */
    public static QueryProgress finished(Answer answer, long nowMillis) {
        boolean ok = AnswerStatus.OK.equals(answer.status);
        return QueryProgress.of(answer.queryId, ok ? QueryProgress.DONE : QueryProgress.FAILED, 1.0,
                ok ? null : answer.status + (answer.message == null ? "" : ": " + answer.message), nowMillis);
    }
}

package io.streamvl.operators.caption;

import io.streamvl.kafka.Answer;
import io.streamvl.kafka.AnswerStatus;
import io.streamvl.kafka.Query;
import io.streamvl.operators.query.QueryMetrics;
import io.streamvl.operators.query.QueryOutputs;
import io.streamvl.operators.query.QuerySettings;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Turns {@code standing} and {@code cancel} queries (as the query router passes them on, unvalidated) into
 * {@link StandingQuestion} registrations and cancellations for the live caption operator, and answers each one on
 * {@link QueryOutputs#ANSWERS}, as every query is answered: {@code ok} with what was registered or cancelled, or
 * {@code invalid-query} (no question, a video URI instead of a stream) or {@code question-too-long}. The answer
 * says the question is registered, not that it was asked yet: its alerts follow on the alerts topic as windows
 * close. Stateless.
 */
public class StandingQueryFunction extends ProcessFunction<Query, StandingQuestion> {
    private static final long serialVersionUID = 1L;

    public static final String UID = "standing-questions";

    private final QuerySettings settings;

    private transient QueryMetrics metrics;

    public StandingQueryFunction(QuerySettings settings) {
        this.settings = settings;
    }

    @Override
    public void open(OpenContext ctx) {
        metrics = new QueryMetrics(getRuntimeContext().getMetricGroup());
    }

    @Override
    public void processElement(Query query, Context ctx, Collector<StandingQuestion> out) {
        StandingQuestion q;
        try {
            q = StandingQuestion.fromQuery(query);
        } catch (IllegalArgumentException e) {
            reject(query, AnswerStatus.INVALID_QUERY, e.getMessage(), ctx);
            return;
        }
        if (q.active && query.videoUri != null && !query.videoUri.isBlank()) {
            reject(query, AnswerStatus.INVALID_QUERY, "a standing question watches live streams; ask about video "
                    + query.videoUri + " with kind ask", ctx);
            return;
        }
        if (q.active && q.question.length() > settings.maxQuestionChars()) {
            reject(query, AnswerStatus.QUESTION_TOO_LONG, "question of " + q.question.length()
                    + " characters; the limit is " + settings.maxQuestionChars(), ctx);
            return;
        }
        metrics.accepted();
        out.collect(q);
        ctx.output(QueryOutputs.ANSWERS, reply(query, AnswerStatus.OK, q.active
                ? "standing question registered on " + (q.streamId == null ? "every stream" : "stream " + q.streamId)
                        + ": answered every caption window, alerts when the answer changes"
                        + (q.trigger == null ? "" : " or contains '" + q.trigger + "'")
                : "standing question " + q.id + " cancelled"));
    }

    private void reject(Query query, String status, String message, Context ctx) {
        metrics.error(status);
        ctx.output(QueryOutputs.ANSWERS, reply(query, status, message));
    }

    /** The query's answer: its identity, a status and what happened; no generated text. */
    private static Answer reply(Query query, String status, String message) {
        return Answer.error(query, status, message);
    }
}

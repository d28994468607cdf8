package io.streamvl.operators.caption;

import io.streamvl.kafka.Alert;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Turns each window's answers to standing questions into alerts worth sending: an answer goes out
 * when it differs from the question's answer in the stream's previous window (ignoring case and
 * surrounding space), when it is the first, or when it contains the trigger word
 * ({@link Alert#triggered}, set when the text was generated). {@link Alert#previousAnswer} is filled
 * in. Keyed by stream id; the last answer per question is keyed map state, TTL'd so the entries of
 * cancelled questions go away. Assumes a stream's alerts arrive in window order, as they do when
 * generation is forward-connected to the live caption operator.
 *
 * <p>Metrics: {@code alertsEmitted}, {@code alertsSuppressed}.
 */
public class AlertFilterFunction extends KeyedProcessFunction<String, Alert, Alert> {
    private static final long serialVersionUID = 1L;

    public static final String UID = "alert-filter";
    public static final String LAST_ANSWERS_STATE = "alert-last-answers";
    public static final Duration DEFAULT_STATE_TTL = Duration.ofHours(1);

    private final Duration stateTtl;

    private transient MapState<String, LastAnswer> lastAnswers;
    private transient Counter emitted;
    private transient Counter suppressed;

    /**
     * @param stateTtl how long a question's last answer is kept without a new one (processing time);
     *     after it, the next answer counts as the first
     */
    public AlertFilterFunction(Duration stateTtl) {
        if (stateTtl.isZero() || stateTtl.isNegative()) {
            throw new IllegalArgumentException("alert state TTL must be positive, got " + stateTtl);
        }
        this.stateTtl = stateTtl;
    }

    public static MapStateDescriptor<String, LastAnswer> lastAnswersDescriptor(Duration stateTtl) {
        var d = new MapStateDescriptor<>(LAST_ANSWERS_STATE, Types.STRING, TypeInformation.of(LastAnswer.class));
        d.enableTimeToLive(StateTtlConfig.newBuilder(stateTtl).updateTtlOnCreateAndWrite().neverReturnExpired().build());
        return d;
    }

    @Override
    public void open(OpenContext ctx) {
        lastAnswers = getRuntimeContext().getMapState(lastAnswersDescriptor(stateTtl));
        emitted = getRuntimeContext().getMetricGroup().counter("alertsEmitted");
        suppressed = getRuntimeContext().getMetricGroup().counter("alertsSuppressed");
    }

    @Override
    public void processElement(Alert alert, Context ctx, Collector<Alert> out) throws Exception {
        LastAnswer last = lastAnswers.get(alert.questionId);
        boolean sameQuestion = last != null && Objects.equals(last.question, alert.question);
        alert.previousAnswer = sameQuestion ? last.answer : null;
        boolean changed = !sameQuestion || !normalized(last.answer).equals(normalized(alert.answer));
        lastAnswers.put(alert.questionId, new LastAnswer(alert.question, alert.answer));
        if (changed || alert.triggered) {
            emitted.inc();
            out.collect(alert);
        } else {
            suppressed.inc();
        }
    }

    private static String normalized(String answer) {
        return answer == null ? "" : answer.strip().toLowerCase(Locale.ROOT);
    }
}

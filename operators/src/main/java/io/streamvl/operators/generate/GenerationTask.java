package io.streamvl.operators.generate;

import io.streamvl.kafka.Alert;
import io.streamvl.kafka.Answer;
import io.streamvl.kafka.AnswerStatus;
import io.streamvl.kafka.Caption;
import io.streamvl.operators.caption.TriggerWord;
import java.util.Objects;

/**
 * One text the language model is to generate: the LLM's input embeddings and the output record,
 * filled with everything but the generated text, which {@link GenerationOperator} adds with
 * {@link #complete}. Exactly one of {@link #caption}, {@link #alert}, {@link #answer} is set, as
 * {@link #kind} says. A Flink POJO.
 */
public class GenerationTask {
    public static final String CAPTION = "caption";
    public static final String ALERT = "alert";
    public static final String ANSWER = "answer";

    /** {@link #CAPTION}, {@link #ALERT} or {@link #ANSWER}. */
    public String kind;
    public Caption caption;
    public Alert alert;
    public Answer answer;
    /** For alerts: the standing question's trigger word, which sets {@link Alert#triggered}; else null. */
    public String trigger;
    /**
     * The LLM's input embeddings {@code [len][hidden]}: fused text with the frames' Z' spliced in; null
     * once {@link GenerationOperator} has generated from it.
     */
    public float[][] input;
    public int maxNewTokens;
    /** Wall clock when the work for this record began, epoch ms: an answer's latency is measured from it. */
    public long createdMillis;

    public GenerationTask() {}

    private static GenerationTask of(String kind, float[][] input, int maxNewTokens, long createdMillis) {
        if (maxNewTokens < 1) {
            throw new IllegalArgumentException("a generation needs at least one new token, got " + maxNewTokens);
        }
        GenerationTask t = new GenerationTask();
        t.kind = kind;
        t.input = Objects.requireNonNull(input, "input");
        t.maxNewTokens = maxNewTokens;
        t.createdMillis = createdMillis;
        return t;
    }

    /** A window's caption; its latency is measured from the window's end. */
    public static GenerationTask caption(Caption caption, float[][] input, int maxNewTokens) {
        GenerationTask t = of(CAPTION, input, maxNewTokens, System.currentTimeMillis());
        t.caption = Objects.requireNonNull(caption);
        return t;
    }

    /** A standing question's answer for a window; {@code trigger} may be null. */
    public static GenerationTask alert(Alert alert, String trigger, float[][] input, int maxNewTokens) {
        GenerationTask t = of(ALERT, input, maxNewTokens, System.currentTimeMillis());
        t.alert = Objects.requireNonNull(alert);
        t.trigger = trigger;
        return t;
    }

    /** A query's answer; {@code receivedMillis}: the query's arrival (or its send time), for latency. */
    public static GenerationTask answer(Answer answer, float[][] input, int maxNewTokens, long receivedMillis) {
        GenerationTask t = of(ANSWER, input, maxNewTokens, receivedMillis);
        t.answer = Objects.requireNonNull(answer);
        return t;
    }

    /** The stream the record is about (null for an answer about a video file). */
    public String streamId() {
        return switch (kind) {
            case CAPTION -> caption.streamId;
            case ALERT -> alert.streamId;
            case ANSWER -> answer.streamId;
            default -> throw unknownKind();
        };
    }

    /** The mode whose model the input is for, and so whose language model generates: its record's mode. */
    public String mode() {
        return switch (kind) {
            case CAPTION -> caption.mode;
            case ALERT -> alert.mode;
            case ANSWER -> answer.mode;
            default -> throw unknownKind();
        };
    }

    /** Puts the generated text into the record, with what follows from it (status, latency, trigger). */
    public void complete(String text, int tokens, long nowMillis) {
        switch (kind) {
            case CAPTION -> {
                caption.caption = text;
                caption.latencyMillis = nowMillis - caption.windowEndMillis;
            }
            case ALERT -> {
                alert.answer = text;
                alert.triggered = TriggerWord.matches(trigger, text);
            }
            case ANSWER -> {
                answer.answer = text;
                answer.status = AnswerStatus.OK;
                answer.tokens = tokens;
                answer.latencyMillis = nowMillis - createdMillis;
            }
            default -> throw unknownKind();
        }
    }

    /** Marks an answer as failed by the model; captions and alerts have no error form. */
    public void failAnswer(String message, long nowMillis) {
        if (!ANSWER.equals(kind)) {
            throw new IllegalStateException("only answers carry an error status, this is a " + kind);
        }
        answer.status = AnswerStatus.MODEL_ERROR;
        answer.message = message;
        answer.latencyMillis = nowMillis - createdMillis;
    }

    private IllegalStateException unknownKind() {
        return new IllegalStateException("unknown generation task kind " + kind);
    }

    @Override
    public String toString() {
        return "GenerationTask{" + kind + ", " + (input == null ? 0 : input.length)
                + " input rows, max " + maxNewTokens + " tokens}";
    }
}

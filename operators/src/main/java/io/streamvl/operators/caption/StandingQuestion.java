package io.streamvl.operators.caption;

import io.streamvl.kafka.Query;
import java.util.Objects;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * A question asked of every caption window of one stream, or of all streams, until cancelled: its
 * answer per window becomes an alert when it changes or contains the trigger word. Registered and
 * cancelled by queries of kind {@code standing} and {@code cancel}, and broadcast to the live caption
 * operator. A Flink POJO.
 */
public class StandingQuestion {
    /** The query id that registered it; registering the same id again replaces it. */
    public String id;
    /** The stream it watches; null for every stream. */
    public String streamId;
    public String question;
    /** An alert whenever the answer contains this word; may be null. */
    public String trigger;
    /** False for a cancellation of {@link #id}. */
    public boolean active;

    public StandingQuestion() {}

    public StandingQuestion(String id, String streamId, String question, String trigger, boolean active) {
        this.id = id;
        this.streamId = streamId;
        this.question = question;
        this.trigger = trigger;
        this.active = active;
    }

    /** The cancellation of standing question {@code id}. */
    public static StandingQuestion cancel(String id) {
        return new StandingQuestion(id, null, null, null, false);
    }

    /**
     * The registration ({@code standing}) or cancellation ({@code cancel}) a query asks for.
     *
     * @throws IllegalArgumentException for another kind, a missing id, or a registration without a question
     */
    public static StandingQuestion fromQuery(Query q) {
        if (q.queryId == null || q.queryId.isBlank()) {
            throw new IllegalArgumentException("a standing question needs a query id");
        }
        switch (q.kindOrDefault()) {
            case Query.KIND_STANDING -> {
                if (q.question == null || q.question.isBlank()) {
                    throw new IllegalArgumentException("standing question " + q.queryId + " has no question");
                }
                return new StandingQuestion(q.queryId, blankToNull(q.streamId), q.question.strip(),
                        blankToNull(q.trigger), true);
            }
            case Query.KIND_CANCEL -> {
                return cancel(q.queryId);
            }
            default -> throw new IllegalArgumentException("query " + q.queryId + " of kind " + q.kindOrDefault()
                    + " neither registers nor cancels a standing question");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    public boolean appliesTo(String stream) {
        return streamId == null || streamId.equals(stream);
    }

    /**
     * Watermarks for the stream of standing questions: none, and the stream marked idle, so that it takes no part
     * in the event time of the operator it is broadcast to. Registrations are control messages, not events of a
     * video. A watermark that followed the queries topic would stall the event time of every operator after the
     * live captions whenever no query arrives (their windows close on each stream's own clock, not on event
     * time). Assign it to the standing questions before broadcasting them.
     */
    public static WatermarkStrategy<StandingQuestion> watermarks() {
        return WatermarkStrategy.forGenerator(ctx -> new WatermarkGenerator<>() {
            @Override
            public void onEvent(StandingQuestion event, long eventTimestamp, WatermarkOutput output) {}

            @Override
            public void onPeriodicEmit(WatermarkOutput output) {
                output.markIdle();
            }
        });
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StandingQuestion q && active == q.active && Objects.equals(id, q.id)
                && Objects.equals(streamId, q.streamId) && Objects.equals(question, q.question)
                && Objects.equals(trigger, q.trigger);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, streamId, question, trigger, active);
    }

    @Override
    public String toString() {
        return "StandingQuestion{" + id + (active ? "" : " cancelled") + " on " + (streamId == null ? "all streams"
                : streamId) + ": " + question + (trigger == null ? "" : " [trigger " + trigger + "]") + "}";
    }
}

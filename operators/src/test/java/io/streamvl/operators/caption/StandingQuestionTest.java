package io.streamvl.operators.caption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamvl.kafka.Query;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.junit.jupiter.api.Test;

class StandingQuestionTest {

    private static Query query(String kind, String id, String stream, String question, String trigger) {
        Query q = new Query();
        q.kind = kind;
        q.queryId = id;
        q.streamId = stream;
        q.question = question;
        q.trigger = trigger;
        return q;
    }

    @Test
    void standingAndCancelQueriesBecomeRegistrationsAndCancellations() {
        assertThat(StandingQuestion.fromQuery(query("standing", "q1", " ", " is it red ? ", "red")))
                .isEqualTo(new StandingQuestion("q1", null, "is it red ?", "red", true));
        StandingQuestion onOne = StandingQuestion.fromQuery(query("standing", "q2", "cam-1", "what moves ?", ""));
        assertThat(onOne.trigger).isNull();
        assertThat(onOne.appliesTo("cam-1")).isTrue();
        assertThat(onOne.appliesTo("cam-2")).isFalse();
        assertThat(StandingQuestion.fromQuery(query("standing", "q3", null, "q", null)).appliesTo("any")).isTrue();
        assertThat(StandingQuestion.fromQuery(query("cancel", "q1", null, null, null)))
                .isEqualTo(StandingQuestion.cancel("q1"));

        assertThatThrownBy(() -> StandingQuestion.fromQuery(query("standing", "q1", null, " ", null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no question");
        assertThatThrownBy(() -> StandingQuestion.fromQuery(query("cancel", null, null, null, null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("query id");
        assertThatThrownBy(() -> StandingQuestion.fromQuery(query(null, "q1", "cam-1", "what ?", null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ask");
    }

    @Test
    void theirStreamIsIdleSoItNeitherHoldsBackNorStandsInForTheFramesEventTime() {
        List<String> emitted = new ArrayList<>();
        var generator = StandingQuestion.watermarks().createWatermarkGenerator(null);
        WatermarkOutput output = new WatermarkOutput() {
            @Override
            public void emitWatermark(Watermark w) {
                emitted.add("watermark " + w.getTimestamp());
            }

            @Override
            public void markIdle() {
                emitted.add("idle");
            }

            @Override
            public void markActive() {
                emitted.add("active");
            }
        };
        generator.onEvent(new StandingQuestion("q", "cam-1", "red?", null, true), 42, output);
        generator.onPeriodicEmit(output);
        assertThat(emitted).containsExactly("idle");
    }

    @Test
    void triggerWordsMatchWholeWordsIgnoringCase() {
        assertThat(TriggerWord.matches("red", "A RED circle.")).isTrue();
        assertThat(TriggerWord.matches("red", "red")).isTrue();
        assertThat(TriggerWord.matches("red", "a reddish circle")).isFalse();
        assertThat(TriggerWord.matches("red", "tired")).isFalse();
        assertThat(TriggerWord.matches("fire exit", "near the Fire Exit!")).isTrue();
        assertThat(TriggerWord.matches(null, "red")).isFalse();
        assertThat(TriggerWord.matches(" ", "red")).isFalse();
    }
}

package io.streamvl.operators.generate;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamvl.kafka.Alert;
import io.streamvl.kafka.Answer;
import io.streamvl.kafka.AnswerStatus;
import io.streamvl.kafka.Caption;
import io.streamvl.models.LanguageModel;
import io.streamvl.models.llama.GenerationConfig;
import io.streamvl.models.llavamini.EncodedFrame;
import io.streamvl.operators.model.SharedModels;
import io.streamvl.operators.model.TinyModel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class GenerationOperatorTest {
    private static final long T0 = 1_700_000_000_000L;
    private static final List<String> QUESTIONS = List.of("Describe the video.", "what moves ?",
            "is there a red circle ?", "what is in the scene ?");
    private static SharedModels.Lease lease;

    @BeforeAll
    static void lease() {
        lease = SharedModels.acquire(TinyModel.settings());
    }

    @AfterAll
    static void release() {
        lease.close();
    }

    private static OneInputStreamOperatorTestHarness<GenerationTask, GenerationTask> harness(int maxBatch)
            throws Exception {
        return new OneInputStreamOperatorTestHarness<>(
                new GenerationOperator(TinyModel.settings(), maxBatch, Duration.ofMinutes(1)));
    }

    /** The LLM input for question {@code q} about {@code n} frames of a seeded stream. */
    private static float[][] input(int q, int n, long seed) {
        List<EncodedFrame> frames = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            frames.add(TinyModel.encode(lease, TinyModel.frame("cam", T0 + i, seed * 100 + i)));
        }
        return lease.call(m -> m.input(frames, QUESTIONS.get(q)));
    }

    private static LanguageModel.Answer alone(float[][] input, int maxNewTokens) {
        return lease.call(m -> m.language().generate(input, GenerationConfig.greedy(maxNewTokens), null));
    }

    private static GenerationTask caption(float[][] input, int maxNewTokens) {
        Caption c = new Caption();
        c.streamId = "cam-1";
        c.windowStartMillis = T0;
        c.windowEndMillis = T0 + 10_000;
        return GenerationTask.caption(c, input, maxNewTokens);
    }

    private static GenerationTask alert(float[][] input, String trigger, int maxNewTokens) {
        Alert a = new Alert();
        a.questionId = "q1";
        a.streamId = "cam-2";
        return GenerationTask.alert(a, trigger, input, maxNewTokens);
    }

    private static GenerationTask answer(String id, float[][] input, int maxNewTokens) {
        Answer a = new Answer();
        a.queryId = id;
        a.streamId = "cam-3";
        return GenerationTask.answer(a, input, maxNewTokens, System.currentTimeMillis() - 50);
    }

    private static String text(GenerationTask t) {
        return switch (t.kind) {
            case GenerationTask.CAPTION -> t.caption.caption;
            case GenerationTask.ALERT -> t.alert.answer;
            default -> t.answer.answer;
        };
    }

    @Test
    void aBatchGeneratesWhatEachTaskGeneratesAlone() throws Exception {
        List<float[][]> inputs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            inputs.add(input(i % QUESTIONS.size(), 1 + i % 3, i));
        }
        List<LanguageModel.Answer> expected = new ArrayList<>();
        for (float[][] in : inputs) {
            expected.add(alone(in, 8));
        }
        String firstWord = expected.get(1).text().strip().split("\\s+")[0];
        List<GenerationTask> tasks = List.of(caption(inputs.get(0), 8), alert(inputs.get(1), firstWord, 8),
                answer("a1", inputs.get(2), 8), caption(inputs.get(3), 8), alert(inputs.get(4), "zebra", 8),
                answer("a2", inputs.get(5), 8));

        try (var h = harness(8)) {
            h.open();
            for (int i = 0; i < tasks.size(); i++) {
                h.processElement(new StreamRecord<>(tasks.get(i), T0 + i));
            }
            assertThat(h.getOutput()).isEmpty();
            h.processWatermark(new Watermark(T0 + 10));
            List<StreamRecord<? extends GenerationTask>> out = h.extractOutputStreamRecords();
            assertThat(out).hasSize(tasks.size());
            for (int i = 0; i < tasks.size(); i++) {
                GenerationTask t = out.get(i).getValue();
                assertThat(out.get(i).getTimestamp()).isEqualTo(T0 + i);
                assertThat(t.kind).isEqualTo(tasks.get(i).kind);
                assertThat(text(t)).as("task %d", i).isEqualTo(expected.get(i).text());
                assertThat(t.input).as("spent input is not shipped").isNull();
            }
            assertThat(expected).extracting(a -> a.tokenIds().length).anySatisfy(n -> assertThat(n).isPositive());
            assertThat(out.get(0).getValue().caption.latencyMillis).isNotNull();
            assertThat(out.get(1).getValue().alert.triggered).isEqualTo(!firstWord.isEmpty());
            assertThat(out.get(4).getValue().alert.triggered).isFalse();
            Answer a1 = out.get(2).getValue().answer;
            assertThat(a1.status).isEqualTo(AnswerStatus.OK);
            assertThat(a1.tokens).isEqualTo(expected.get(2).tokenIds().length);
            assertThat(a1.latencyMillis).isGreaterThanOrEqualTo(50);
        }
    }

    @Test
    void tasksWithOtherTokenLimitsInOneBatchEachGetTheirOwn() throws Exception {
        float[][] a = input(0, 2, 7);
        float[][] b = input(1, 1, 8);
        try (var h = harness(4)) {
            h.open();
            h.processElement(new StreamRecord<>(answer("long", a, 8), T0));
            h.processElement(new StreamRecord<>(answer("short", b, 2), T0));
            h.processElement(new StreamRecord<>(answer("one", a, 1), T0));
            h.prepareSnapshotPreBarrier(1L);
            List<GenerationTask> out = h.extractOutputValues();
            assertThat(out).extracting(t -> t.answer.queryId).containsExactly("long", "short", "one");
            assertThat(out.get(0).answer.answer).isEqualTo(alone(a, 8).text());
            assertThat(out.get(1).answer.answer).isEqualTo(alone(b, 2).text());
            assertThat(out.get(2).answer.answer).isEqualTo(alone(a, 1).text());
            assertThat(out.get(1).answer.tokens).isLessThanOrEqualTo(2);
        }
    }

    @Test
    void aFailedRunFailsItsAnswersAndDropsItsCaptionsButNotTheRestOfTheBatch() throws Exception {
        float[][] good = input(2, 1, 9);
        float[][] tooLong = new float[300][good[0].length];
        float[][] malformed = new float[4][3];
        try (var h = harness(8)) {
            h.open();
            h.processElement(new StreamRecord<>(answer("too-long", tooLong, 4), T0));
            h.processElement(new StreamRecord<>(caption(tooLong, 4), T0));
            h.processElement(new StreamRecord<>(answer("ok", good, 4), T0));
            // a run the model cannot take fails all of its tasks, and only them
            h.processElement(new StreamRecord<>(answer("same-run", good, 5), T0));
            h.processElement(new StreamRecord<>(answer("malformed", malformed, 5), T0));
            h.processElement(new StreamRecord<>(caption(malformed, 5), T0));
            h.getOperator().finish();
            List<GenerationTask> out = h.extractOutputValues();
            assertThat(out).extracting(t -> t.answer.queryId + " " + t.answer.status).containsExactly(
                    "too-long " + AnswerStatus.MODEL_ERROR, "ok " + AnswerStatus.OK,
                    "same-run " + AnswerStatus.MODEL_ERROR, "malformed " + AnswerStatus.MODEL_ERROR);
            assertThat(out.get(0).answer.message).contains("300 tokens").contains("256");
            assertThat(out.get(1).answer.answer).isEqualTo(alone(good, 4).text());
            assertThat(out.get(2).answer.message).startsWith("generation failed");
        }
    }
}

package io.streamvl.operators.caption;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamvl.kafka.DlqReason;
import io.streamvl.kafka.DlqRecord;
import io.streamvl.models.llavamini.EncodedFrame;
import io.streamvl.operators.generate.GenerationTask;
import io.streamvl.operators.ingest.IngestOutputs;
import io.streamvl.operators.model.SharedModels;
import io.streamvl.operators.model.TinyModel;
import io.streamvl.operators.testing.Harnesses;
import io.streamvl.operators.vision.EncodedFrameRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LiveCaptionFunctionTest {
    private static final long T0 = 1_700_000_000_000L; // a multiple of the 10 s window
    private static final long W = 10_000;
    private static final String PROMPT = LiveCaptionSettings.DEFAULT_PROMPT;
    private static SharedModels.Lease lease;
    private static LiveCaptionSettings settings;

    @BeforeAll
    static void lease() {
        lease = SharedModels.acquire(TinyModel.settings());
        settings = LiveCaptionSettings.defaults(TinyModel.settings()).withCaptionPrompt(PROMPT, 8);
    }

    @AfterAll
    static void release() {
        lease.close();
    }

    private static KeyedBroadcastOperatorTestHarness<String, EncodedFrameRecord, StandingQuestion, GenerationTask>
            harness(String backend, LiveCaptionSettings s) throws Exception {
        var h = new KeyedBroadcastOperatorTestHarness<>(
                new CoBroadcastWithKeyedOperator<>(new LiveCaptionFunction(s),
                        List.of(LiveCaptionFunction.STANDING_QUESTIONS)),
                (EncodedFrameRecord r) -> r.frame.streamId, Types.STRING, 128, 1, 0);
        Harnesses.useBackend(h, backend);
        return h;
    }

    /** Frames sent per stream, to compute what the model's batch input would be. */
    private final Map<String, List<EncodedFrame>> sent = new HashMap<>();

    private void frame(KeyedBroadcastOperatorTestHarness<String, EncodedFrameRecord, ?, ?> h, String stream, long t)
            throws Exception {
        var f = TinyModel.frame(stream, t, t + stream.hashCode());
        EncodedFrame encoded = TinyModel.encode(lease, f);
        sent.computeIfAbsent(stream + "@" + settings.windowStartOf(t), k -> new ArrayList<>()).add(encoded);
        h.processElement(new EncodedFrameRecord(f, encoded), t);
    }

    private float[][] expectedInput(String stream, long windowStart, String prompt) {
        List<EncodedFrame> frames = sent.get(stream + "@" + windowStart);
        return lease.call(m -> m.input(frames, prompt));
    }

    private static List<GenerationTask> drain(KeyedBroadcastOperatorTestHarness<?, ?, ?, GenerationTask> h) {
        List<GenerationTask> out = new ArrayList<>(h.extractOutputValues());
        h.getOutput().clear();
        return out;
    }

    private static String describe(GenerationTask t) {
        return t.kind + " " + t.streamId() + (t.alert != null ? " " + t.alert.questionId : "");
    }

    @ParameterizedTest
    @ValueSource(strings = {Harnesses.HEAP, Harnesses.ROCKSDB})
    void eachWindowsCaptionInputIsTheModelsInputForAllItsFrames(String backend) throws Exception {
        try (var h = harness(backend, settings)) {
            h.open();
            frame(h, "cam-1", T0);
            frame(h, "cam-2", T0 + 500);
            frame(h, "cam-1", T0 + 1000);
            frame(h, "cam-1", T0 + 9999);
            frame(h, "cam-1", T0 + W); // next window
            h.watermark(T0 + W - 2);
            assertThat(drain(h)).isEmpty();

            h.watermark(T0 + W - 1);
            List<StreamRecord<? extends GenerationTask>> records = h.extractOutputStreamRecords();
            h.getOutput().clear();
            assertThat(records).extracting(r -> r.getValue().streamId()).containsExactlyInAnyOrder("cam-1", "cam-2");
            for (var r : records) {
                GenerationTask t = r.getValue();
                assertThat(r.getTimestamp()).isEqualTo(T0 + W - 1);
                assertThat(t.kind).isEqualTo(GenerationTask.CAPTION);
                assertThat(t.maxNewTokens).isEqualTo(8);
                assertThat(t.caption.windowStartMillis).isEqualTo(T0);
                assertThat(t.caption.windowEndMillis).isEqualTo(T0 + W);
                assertThat(t.caption.frames).isEqualTo(t.streamId().equals("cam-1") ? 3 : 1);
                assertThat(t.caption.mode).isEqualTo("llava-mini");
                assertThat(t.caption.model).isEqualTo("tiny-llava-mini");
                assertThat(t.caption.caption).isNull();
                TinyModel.assertClose(expectedInput(t.streamId(), T0, PROMPT), t.input, 1e-4f);
            }

            h.watermark(T0 + 2 * W - 1);
            List<GenerationTask> next = drain(h);
            assertThat(next).extracting(LiveCaptionFunctionTest::describe).containsExactly("caption cam-1");
            assertThat(next.get(0).caption.frames).isEqualTo(1);
            TinyModel.assertClose(expectedInput("cam-1", T0 + W, PROMPT), next.get(0).input, 1e-4f);

            h.watermark(T0 + 10 * W);
            assertThat(drain(h)).as("windows without frames emit nothing").isEmpty();
            assertThat(windowEntries(h, "cam-1")).as("state is cleared when a window fires").isZero();
            assertThat(windowEntries(h, "cam-2")).isZero();
        }
    }

    private static int windowEntries(KeyedBroadcastOperatorTestHarness<String, ?, ?, ?> h, String stream)
            throws Exception {
        var backend = h.getOperator().getKeyedStateBackend();
        backend.setCurrentKey(stream);
        MapState<Tuple2<Long, String>, PromptWindow> state = backend.getPartitionedState(VoidNamespace.INSTANCE,
                VoidNamespaceSerializer.INSTANCE, LiveCaptionFunction.windowsDescriptor(settings));
        int n = 0;
        for (var ignored : state.keys()) {
            n++;
        }
        return n;
    }

    @ParameterizedTest
    @ValueSource(strings = {Harnesses.HEAP, Harnesses.ROCKSDB})
    void aWindowRestoredMidwayCaptionsAllItsFrames(String backend) throws Exception {
        OperatorSubtaskState snapshot;
        StandingQuestion q = new StandingQuestion("q1", null, "what moves ?", null, true);
        try (var h = harness(backend, settings)) {
            h.open();
            h.processBroadcastElement(q, T0);
            frame(h, "cam-1", T0 + 1000);
            frame(h, "cam-1", T0 + 2000);
            snapshot = h.snapshot(1L, 1L);
        }
        try (var h = harness(backend, settings)) {
            h.setup();
            h.initializeState(snapshot);
            h.open();
            frame(h, "cam-1", T0 + 3000);
            frame(h, "cam-1", T0 + 4000);
            h.watermark(T0 + W - 1);
            List<GenerationTask> out = drain(h);
            assertThat(out).extracting(LiveCaptionFunctionTest::describe)
                    .containsExactly("caption cam-1", "alert cam-1 q1");
            assertThat(out).allSatisfy(t -> assertThat(t.kind.equals("caption") ? t.caption.frames : t.alert.frames)
                    .isEqualTo(4));
            TinyModel.assertClose(expectedInput("cam-1", T0, PROMPT), out.get(0).input, 1e-4f);
            TinyModel.assertClose(expectedInput("cam-1", T0, q.question), out.get(1).input, 1e-4f);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {Harnesses.HEAP, Harnesses.ROCKSDB})
    void standingQuestionsAlertOnTheirStreamsUntilCancelled(String backend) throws Exception {
        try (var h = harness(backend, settings)) {
            h.open();
            h.processBroadcastElement(new StandingQuestion("q1", null, "is there a red circle ?", "red", true), T0);
            h.processBroadcastElement(new StandingQuestion("q2", "cam-2", "what moves ?", null, true), T0);
            frame(h, "cam-1", T0);
            frame(h, "cam-2", T0);
            frame(h, "cam-2", T0 + 1000);
            h.watermark(T0 + W - 1);
            List<GenerationTask> first = drain(h);
            assertThat(first).extracting(LiveCaptionFunctionTest::describe).containsExactlyInAnyOrder(
                    "caption cam-1", "alert cam-1 q1", "caption cam-2", "alert cam-2 q1", "alert cam-2 q2");
            for (GenerationTask t : first) {
                if (t.alert != null) {
                    assertThat(t.trigger).isEqualTo(t.alert.questionId.equals("q1") ? "red" : null);
                    assertThat(t.alert.frames).isEqualTo(t.streamId().equals("cam-1") ? 1 : 2);
                    assertThat(t.alert.windowStartMillis).isEqualTo(T0);
                    assertThat(t.alert.answer).isNull();
                    TinyModel.assertClose(expectedInput(t.streamId(), T0, t.alert.question), t.input, 1e-4f);
                }
            }

            // cancel q1, reword q2: a standing question with an existing id replaces it
            h.processBroadcastElement(StandingQuestion.cancel("q1"), T0 + W);
            h.processBroadcastElement(new StandingQuestion("q2", "cam-2", "what is in the scene ?", null, true), T0 + W);
            OperatorSubtaskState snapshot = h.snapshot(1L, 1L);
            try (var restored = harness(backend, settings)) {
                restored.setup();
                restored.initializeState(snapshot);
                restored.open();
                frame(restored, "cam-1", T0 + W);
                frame(restored, "cam-2", T0 + W);
                restored.watermark(T0 + 2 * W - 1);
                List<GenerationTask> second = drain(restored);
                assertThat(second).extracting(LiveCaptionFunctionTest::describe)
                        .containsExactlyInAnyOrder("caption cam-1", "caption cam-2", "alert cam-2 q2");
                GenerationTask q2 = second.stream().filter(t -> t.alert != null).findFirst().orElseThrow();
                assertThat(q2.alert.question).isEqualTo("what is in the scene ?");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {Harnesses.HEAP, Harnesses.ROCKSDB})
    void framesAfterTheirWindowFiredGoToTheDlq(String backend) throws Exception {
        LiveCaptionSettings lateness = settings.withWindow(Duration.ofMillis(W), Duration.ofSeconds(2));
        try (var h = harness(backend, lateness)) {
            h.open();
            frame(h, "cam-1", T0 + 5000);
            h.watermark(T0 + W + 500);
            frame(h, "cam-1", T0 + 6000); // late, but within the allowed lateness
            h.watermark(T0 + W + 2000 - 1);
            List<GenerationTask> out = drain(h);
            assertThat(out).hasSize(1);
            assertThat(out.get(0).caption.frames).isEqualTo(2);

            frame(h, "cam-1", T0 + 7000);
            h.watermark(T0 + 5 * W);
            assertThat(drain(h)).isEmpty();
            List<DlqRecord> dlq = new ArrayList<>();
            h.getSideOutput(IngestOutputs.DLQ).forEach(r -> dlq.add(r.getValue()));
            assertThat(dlq).singleElement().satisfies(d -> {
                assertThat(d.reason).isEqualTo(DlqReason.LATE.code());
                assertThat(d.key).isEqualTo("cam-1");
                assertThat(d.message).contains(String.valueOf(T0 + 7000));
                assertThat(d.payloadBytes).isPositive();
            });
        }
    }
}

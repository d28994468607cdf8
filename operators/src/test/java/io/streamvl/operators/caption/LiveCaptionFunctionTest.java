package io.streamvl.operators.caption;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamvl.kafka.DlqReason;
import io.streamvl.kafka.DlqRecord;
import io.streamvl.models.llavamini.EncodedFrame;
import io.streamvl.models.llavamini.LlavaMiniModel;
import io.streamvl.operators.clock.StreamClockSettings;
import io.streamvl.operators.generate.GenerationTask;
import io.streamvl.operators.ingest.IngestOutputs;
import io.streamvl.operators.model.SharedModels;
import io.streamvl.operators.model.TinyModel;
import io.streamvl.operators.testing.Harnesses;
import io.streamvl.operators.vision.EncodedFrameRecord;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LiveCaptionFunctionTest {
    private static final long T0 = 1_700_000_000_000L; // a multiple of the 10 s window
    private static final long W = 10_000;
    private static final String PROMPT = LiveCaptionSettings.DEFAULT_PROMPT;
    private static SharedModels.Lease<LlavaMiniModel> lease;
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
        sent.computeIfAbsent(stream + "@" + settings.clock().windowStartOf(t), k -> new ArrayList<>()).add(encoded);
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

    private static long lateFrames(KeyedBroadcastOperatorTestHarness<?, ?, ?, ?> h) throws Exception {
        Field counter = CaptionWindowFunction.class.getDeclaredField("lateFrames");
        counter.setAccessible(true);
        var operator = (CoBroadcastWithKeyedOperator<?, ?, ?, ?>) h.getOperator();
        return ((Counter) counter.get(operator.getUserFunction())).getCount();
    }

    private static List<DlqRecord> dlq(KeyedBroadcastOperatorTestHarness<?, ?, ?, ?> h) {
        List<DlqRecord> out = new ArrayList<>();
        var records = h.getSideOutput(IngestOutputs.DLQ);
        if (records != null) {
            records.forEach(r -> out.add(r.getValue()));
        }
        return out;
    }

    /** Processing time passes without a frame. */
    private static void quietFor(KeyedBroadcastOperatorTestHarness<?, ?, ?, ?> h, Duration d) throws Exception {
        h.setProcessingTime(h.getProcessingTime() + d.toMillis());
    }

    @ParameterizedTest
    @ValueSource(strings = {Harnesses.HEAP, Harnesses.ROCKSDB})
    void eachWindowsCaptionInputIsTheModelsInputForAllItsFrames(String backend) throws Exception {
        try (var h = harness(backend, settings)) {
            h.open();
            frame(h, "cam-1", T0);
            frame(h, "cam-2", T0 + 500);
            frame(h, "cam-1", T0 + 1000);
            frame(h, "cam-1", T0 + 9000);
            assertThat(drain(h)).isEmpty();

            frame(h, "cam-1", T0 + W); // cam-1's clock passes the end of its window
            List<GenerationTask> first = drain(h);
            assertThat(first).extracting(LiveCaptionFunctionTest::describe).containsExactly("caption cam-1");
            GenerationTask t = first.get(0);
            assertThat(t.kind).isEqualTo(GenerationTask.CAPTION);
            assertThat(t.maxNewTokens).isEqualTo(8);
            assertThat(t.caption.windowStartMillis).isEqualTo(T0);
            assertThat(t.caption.windowEndMillis).isEqualTo(T0 + W);
            assertThat(t.caption.frames).isEqualTo(3);
            assertThat(t.caption.mode).isEqualTo("llava-mini");
            assertThat(t.caption.model).isEqualTo("tiny-llava-mini");
            assertThat(t.caption.caption).isNull();
            TinyModel.assertClose(expectedInput("cam-1", T0, PROMPT), t.input, 1e-4f);

            h.watermark(T0 + 10 * W);
            assertThat(drain(h)).as("the job's watermark closes no window").isEmpty();

            frame(h, "cam-2", T0 + W - 1); // the window's last millisecond: cam-2's clock reaches its fire time
            List<GenerationTask> second = drain(h);
            assertThat(second).extracting(LiveCaptionFunctionTest::describe).containsExactly("caption cam-2");
            assertThat(second.get(0).caption.frames).isEqualTo(2);
            TinyModel.assertClose(expectedInput("cam-2", T0, PROMPT), second.get(0).input, 1e-4f);

            frame(h, "cam-1", T0 + 5 * W);
            List<GenerationTask> next = drain(h);
            assertThat(next).as("windows without frames emit nothing").extracting(LiveCaptionFunctionTest::describe)
                    .containsExactly("caption cam-1");
            assertThat(next.get(0).caption.windowStartMillis).isEqualTo(T0 + W);
            assertThat(next.get(0).caption.frames).isEqualTo(1);
            TinyModel.assertClose(expectedInput("cam-1", T0 + W, PROMPT), next.get(0).input, 1e-4f);
            assertThat(windowEntries(h, "cam-1")).as("state is cleared when a window fires").isOne();
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
    void aSlowStreamsFramesAreNotLateWhenAnotherStreamIsFarAhead(String backend) throws Exception {
        try (var h = harness(backend, settings)) {
            h.open();
            frame(h, "cam-fast", T0 + 100 * W);
            frame(h, "cam-fast", T0 + 101 * W);
            h.watermark(T0 + 101 * W);
            assertThat(drain(h)).extracting(LiveCaptionFunctionTest::describe).containsExactly("caption cam-fast");

            frame(h, "cam-slow", T0 + 1000);
            frame(h, "cam-slow", T0 + 2000);
            frame(h, "cam-slow", T0 + W);
            List<GenerationTask> out = drain(h);
            assertThat(out).extracting(LiveCaptionFunctionTest::describe).containsExactly("caption cam-slow");
            assertThat(out.get(0).caption.windowStartMillis).isEqualTo(T0);
            assertThat(out.get(0).caption.frames).isEqualTo(2);
            TinyModel.assertClose(expectedInput("cam-slow", T0, PROMPT), out.get(0).input, 1e-4f);
            assertThat(dlq(h)).isEmpty();
            assertThat(lateFrames(h)).isZero();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {Harnesses.HEAP, Harnesses.ROCKSDB})
    void aWindowClosesWhenItsStreamsClockPassesItsEndPlusTheLateness(String backend) throws Exception {
        LiveCaptionSettings s = settings.withClock(
                settings.clock().withLateness(Duration.ofSeconds(2)).withOutOfOrderness(Duration.ofSeconds(3)));
        try (var h = harness(backend, s)) {
            h.open();
            frame(h, "cam-1", T0 + 5000);
            frame(h, "cam-1", T0 + W + 4998); // clock: one millisecond short of the window's fire time
            assertThat(drain(h)).isEmpty();
            frame(h, "cam-1", T0 + 6000); // behind the newest frame, but within out-of-orderness and lateness
            frame(h, "cam-1", T0 + W + 4999);
            List<GenerationTask> out = drain(h);
            assertThat(out).extracting(LiveCaptionFunctionTest::describe).containsExactly("caption cam-1");
            assertThat(out.get(0).caption.windowStartMillis).isEqualTo(T0);
            assertThat(out.get(0).caption.frames).isEqualTo(2);
            TinyModel.assertClose(expectedInput("cam-1", T0, PROMPT), out.get(0).input, 1e-4f);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {Harnesses.HEAP, Harnesses.ROCKSDB})
    void framesAfterTheirStreamClosedTheirWindowGoToTheDlq(String backend) throws Exception {
        LiveCaptionSettings lateness = settings.withClock(settings.clock().withLateness(Duration.ofSeconds(2)));
        try (var h = harness(backend, lateness)) {
            h.open();
            frame(h, "cam-1", T0 + 5000);
            frame(h, "cam-1", T0 + W + 500);
            frame(h, "cam-1", T0 + 6000); // late, but within the allowed lateness
            frame(h, "cam-1", T0 + W + 2000 - 1);
            List<GenerationTask> out = drain(h);
            assertThat(out).hasSize(1);
            assertThat(out.get(0).caption.frames).isEqualTo(2);

            frame(h, "cam-1", T0 + 7000);
            frame(h, "cam-2", T0 + 7000); // another stream's window of the same time is still open
            assertThat(drain(h)).isEmpty();
            assertThat(dlq(h)).singleElement().satisfies(d -> {
                assertThat(d.reason).isEqualTo(DlqReason.LATE.code());
                assertThat(d.key).isEqualTo("cam-1");
                assertThat(d.message).contains(String.valueOf(T0 + 7000), "stream clock " + (T0 + W + 1999));
                assertThat(d.payloadBytes).isPositive();
            });
            assertThat(lateFrames(h)).isOne();
            assertThat(windowEntries(h, "cam-2")).isOne();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {Harnesses.HEAP, Harnesses.ROCKSDB})
    void aStoppedStreamsOpenWindowClosesAfterTheIdleTimeout(String backend) throws Exception {
        Duration idle = StreamClockSettings.DEFAULT_IDLE_TIMEOUT;
        try (var h = harness(backend, settings)) {
            h.open();
            h.setProcessingTime(0);
            frame(h, "cam-1", T0 + 1000);
            quietFor(h, idle.dividedBy(2));
            frame(h, "cam-1", T0 + 2000);
            frame(h, "cam-2", T0 + 1000);
            quietFor(h, idle.dividedBy(2));
            assertThat(drain(h)).as("cam-1 sent a frame half an idle timeout ago").isEmpty();
            quietFor(h, idle.dividedBy(2).minusMillis(1));
            assertThat(drain(h)).isEmpty();

            quietFor(h, Duration.ofMillis(1));
            List<GenerationTask> out = drain(h);
            assertThat(out).extracting(LiveCaptionFunctionTest::describe)
                    .containsExactlyInAnyOrder("caption cam-1", "caption cam-2");
            for (GenerationTask t : out) {
                assertThat(t.caption.windowStartMillis).isEqualTo(T0);
                assertThat(t.caption.frames).isEqualTo(t.streamId().equals("cam-1") ? 2 : 1);
                TinyModel.assertClose(expectedInput(t.streamId(), T0, PROMPT), t.input, 1e-4f);
            }
            assertThat(windowEntries(h, "cam-1")).isZero();
            assertThat(h.numProcessingTimeTimers()).as("no check is left for a stream without windows").isZero();

            frame(h, "cam-1", T0 + 3000); // the camera resumes within the closed window: too late
            frame(h, "cam-1", T0 + W + 1000);
            assertThat(dlq(h)).singleElement()
                    .satisfies(d -> assertThat(d.message).contains(String.valueOf(T0 + 3000)));
            quietFor(h, idle);
            assertThat(drain(h)).extracting(t -> t.caption.windowStartMillis).containsExactly(T0 + W);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {Harnesses.HEAP, Harnesses.ROCKSDB})
    void aWindowRestoredMidwayKeepsItsStreamsClockAndCaptionsAllItsFrames(String backend) throws Exception {
        LiveCaptionSettings s = settings.withClock(settings.clock().withOutOfOrderness(Duration.ofSeconds(1)));
        OperatorSubtaskState snapshot;
        StandingQuestion q = new StandingQuestion("q1", null, "what moves ?", null, true);
        try (var h = harness(backend, s)) {
            h.open();
            h.processBroadcastElement(q, T0);
            frame(h, "cam-1", T0 + 1000);
            frame(h, "cam-1", T0 + W + 1000);
            frame(h, "cam-1", T0 + W + 1500); // clock T0 + W + 500 closes the first window
            assertThat(drain(h)).extracting(LiveCaptionFunctionTest::describe)
                    .containsExactly("caption cam-1", "alert cam-1 q1");
            snapshot = h.snapshot(1L, 1L);
        }
        try (var h = harness(backend, s)) {
            h.setup();
            h.initializeState(snapshot);
            h.open();
            frame(h, "cam-1", T0 + 5000);
            assertThat(dlq(h)).as("the restored clock had closed its window").hasSize(1);
            frame(h, "cam-1", T0 + W + 3000);
            frame(h, "cam-1", T0 + W + 4000);
            frame(h, "cam-1", T0 + 2 * W + 998);
            assertThat(drain(h)).as("the clock one millisecond short of the window's fire time").isEmpty();
            frame(h, "cam-1", T0 + 2 * W + 999);
            List<GenerationTask> out = drain(h);
            assertThat(out).extracting(LiveCaptionFunctionTest::describe)
                    .containsExactly("caption cam-1", "alert cam-1 q1");
            assertThat(out).allSatisfy(t -> assertThat(t.kind.equals("caption") ? t.caption.frames : t.alert.frames)
                    .isEqualTo(4));
            TinyModel.assertClose(expectedInput("cam-1", T0 + W, PROMPT), out.get(0).input, 1e-4f);
            TinyModel.assertClose(expectedInput("cam-1", T0 + W, q.question), out.get(1).input, 1e-4f);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {Harnesses.HEAP, Harnesses.ROCKSDB})
    void aRestoredJobCountsIdleTimeFromWhenItRunsAgain(String backend) throws Exception {
        Duration idle = StreamClockSettings.DEFAULT_IDLE_TIMEOUT;
        OperatorSubtaskState snapshot;
        try (var h = harness(backend, settings)) {
            h.open();
            h.setProcessingTime(0);
            frame(h, "cam-1", T0 + 1000);
            snapshot = h.snapshot(1L, 1L);
        }
        try (var h = harness(backend, settings)) {
            h.setup();
            h.initializeState(snapshot);
            h.open();
            h.setProcessingTime(10 * idle.toMillis()); // restored long after the stream's last frame
            assertThat(drain(h)).as("its frames may still be waiting in Kafka").isEmpty();
            frame(h, "cam-1", T0 + 2000);
            quietFor(h, idle);
            assertThat(drain(h)).singleElement().satisfies(t -> assertThat(t.caption.frames).isEqualTo(2));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {Harnesses.HEAP, Harnesses.ROCKSDB})
    void standingQuestionsAlertOnTheirStreamsUntilCancelled(String backend) throws Exception {
        try (var h = harness(backend, settings)) {
            h.open();
            h.setProcessingTime(0);
            h.processBroadcastElement(new StandingQuestion("q1", null, "is there a red circle ?", "red", true), T0);
            h.processBroadcastElement(new StandingQuestion("q2", "cam-2", "what moves ?", null, true), T0);
            frame(h, "cam-1", T0);
            frame(h, "cam-2", T0);
            frame(h, "cam-2", T0 + 1000);
            quietFor(h, StreamClockSettings.DEFAULT_IDLE_TIMEOUT);
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
                frame(restored, "cam-1", T0 + 2 * W);
                frame(restored, "cam-2", T0 + 2 * W);
                List<GenerationTask> second = drain(restored);
                assertThat(second).extracting(LiveCaptionFunctionTest::describe)
                        .containsExactlyInAnyOrder("caption cam-1", "caption cam-2", "alert cam-2 q2");
                GenerationTask q2 = second.stream().filter(t -> t.alert != null).findFirst().orElseThrow();
                assertThat(q2.alert.question).isEqualTo("what is in the scene ?");
            }
        }
    }
}

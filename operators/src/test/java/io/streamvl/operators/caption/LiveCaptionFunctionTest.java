package io.streamvl.operators.caption;

import static io.streamvl.operators.caption.CaptionHarness.PROMPT;
import static io.streamvl.operators.caption.CaptionHarness.T0;
import static io.streamvl.operators.caption.CaptionHarness.W;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamvl.kafka.DlqReason;
import io.streamvl.models.llavamini.EncodedFrame;
import io.streamvl.models.llavamini.LlavaMiniModel;
import io.streamvl.models.llavamini.PromptedFrame;
import io.streamvl.operators.clock.StreamClockSettings;
import io.streamvl.operators.generate.GenerationTask;
import io.streamvl.operators.model.SharedModels;
import io.streamvl.operators.model.TinyModel;
import io.streamvl.operators.testing.Harnesses;
import io.streamvl.operators.vision.EncodedFrameRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LiveCaptionFunctionTest {
    private static SharedModels.Lease<LlavaMiniModel> lease;
    private static LiveCaptionSettings settings;

    @BeforeAll
    static void lease() {
        lease = SharedModels.acquire(TinyModel.settings());
        settings = CaptionHarness.settings();
    }

    @AfterAll
    static void release() {
        lease.close();
    }

    private static CaptionHarness harness(String backend, LiveCaptionSettings s) throws Exception {
        return new CaptionHarness(new LiveCaptionFunction(s), backend);
    }

    /** Frames sent per stream, to compute what the model's batch input would be. */
    private final Map<String, List<EncodedFrame>> sent = new HashMap<>();

    private void frame(CaptionHarness h, String stream, long t) throws Exception {
        var f = TinyModel.frame(stream, t, t + stream.hashCode());
        EncodedFrame encoded = TinyModel.encode(lease, f);
        sent.computeIfAbsent(stream + "@" + settings.clock().windowStartOf(t), k -> new ArrayList<>()).add(encoded);
        h.processElement(new EncodedFrameRecord(f, encoded), t);
    }

    /** A frame as the frame encoder sends it with the caption prompt: with the prompt's fused text. */
    private void promptedFrame(CaptionHarness h, String stream, long t) throws Exception {
        var f = TinyModel.frame(stream, t, t + stream.hashCode());
        PromptedFrame encoded = TinyModel.encode(lease, f, PROMPT);
        sent.computeIfAbsent(stream + "@" + settings.clock().windowStartOf(t), k -> new ArrayList<>())
                .add(encoded.frame());
        h.processElement(new EncodedFrameRecord(f, encoded, PROMPT), t);
    }

    private float[][] expectedInput(String stream, long windowStart, String prompt) {
        List<EncodedFrame> frames = sent.get(stream + "@" + windowStart);
        return lease.call(m -> m.input(frames, prompt));
    }

    private static int windowEntries(CaptionHarness h, String stream) throws Exception {
        return h.entries(stream, LiveCaptionFunction.windowsDescriptor(settings));
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
            assertThat(h.drain()).isEmpty();

            frame(h, "cam-1", T0 + W); // cam-1's clock passes the end of its window
            List<GenerationTask> first = h.drain();
            assertThat(first).extracting(CaptionHarness::describe).containsExactly("caption cam-1");
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
            assertThat(h.drain()).as("the job's watermark closes no window").isEmpty();

            frame(h, "cam-2", T0 + W - 1); // the window's last millisecond: cam-2's clock reaches its fire time
            List<GenerationTask> second = h.drain();
            assertThat(second).extracting(CaptionHarness::describe).containsExactly("caption cam-2");
            assertThat(second.get(0).caption.frames).isEqualTo(2);
            TinyModel.assertClose(expectedInput("cam-2", T0, PROMPT), second.get(0).input, 1e-4f);

            frame(h, "cam-1", T0 + 5 * W);
            List<GenerationTask> next = h.drain();
            assertThat(next).as("windows without frames emit nothing").extracting(CaptionHarness::describe)
                    .containsExactly("caption cam-1");
            assertThat(next.get(0).caption.windowStartMillis).isEqualTo(T0 + W);
            assertThat(next.get(0).caption.frames).isEqualTo(1);
            TinyModel.assertClose(expectedInput("cam-1", T0 + W, PROMPT), next.get(0).input, 1e-4f);
            assertThat(windowEntries(h, "cam-1")).as("state is cleared when a window fires").isOne();
            assertThat(windowEntries(h, "cam-2")).isZero();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {Harnesses.HEAP, Harnesses.ROCKSDB})
    void theCaptionPromptsFusedTextFromTheEncoderIsNotFusedAgain(String backend) throws Exception {
        StandingQuestion q = new StandingQuestion("q1", null, "what moves ?", null, true);
        try (var h = harness(backend, settings)) {
            h.open();
            h.processBroadcastElement(q, T0);
            promptedFrame(h, "cam-1", T0);
            frame(h, "cam-1", T0 + 1000); // encoded without the prompt: fused here
            promptedFrame(h, "cam-1", T0 + 2000);
            promptedFrame(h, "cam-1", T0 + W);
            List<GenerationTask> out = h.drain();
            assertThat(out).extracting(CaptionHarness::describe).containsExactly("caption cam-1", "alert cam-1 q1");
            assertThat(out.get(0).caption.frames).isEqualTo(3);
            TinyModel.assertClose(expectedInput("cam-1", T0, PROMPT), out.get(0).input, 1e-4f);
            TinyModel.assertClose(expectedInput("cam-1", T0, q.question), out.get(1).input, 1e-4f);
            assertThat(h.counter(LiveCaptionFunction.class, "promptsFused"))
                    .as("the question with all four frames, the caption prompt with the one without its text")
                    .isEqualTo(5);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {Harnesses.HEAP, Harnesses.ROCKSDB})
    void aSlowStreamsFramesAreNotLateWhenAnotherStreamIsFarAhead(String backend) throws Exception {
        try (var h = harness(backend, settings)) {
            h.open();
            frame(h, "cam-fast", T0 + 100 * W);
            frame(h, "cam-fast", T0 + 101 * W);
            h.watermark(T0 + 101 * W);
            assertThat(h.drain()).extracting(CaptionHarness::describe).containsExactly("caption cam-fast");

            frame(h, "cam-slow", T0 + 1000);
            frame(h, "cam-slow", T0 + 2000);
            frame(h, "cam-slow", T0 + W);
            List<GenerationTask> out = h.drain();
            assertThat(out).extracting(CaptionHarness::describe).containsExactly("caption cam-slow");
            assertThat(out.get(0).caption.windowStartMillis).isEqualTo(T0);
            assertThat(out.get(0).caption.frames).isEqualTo(2);
            TinyModel.assertClose(expectedInput("cam-slow", T0, PROMPT), out.get(0).input, 1e-4f);
            assertThat(h.dlq()).isEmpty();
            assertThat(h.lateFrames()).isZero();
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
            assertThat(h.drain()).isEmpty();
            frame(h, "cam-1", T0 + 6000); // behind the newest frame, but within out-of-orderness and lateness
            frame(h, "cam-1", T0 + W + 4999);
            List<GenerationTask> out = h.drain();
            assertThat(out).extracting(CaptionHarness::describe).containsExactly("caption cam-1");
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
            List<GenerationTask> out = h.drain();
            assertThat(out).hasSize(1);
            assertThat(out.get(0).caption.frames).isEqualTo(2);

            frame(h, "cam-1", T0 + 7000);
            frame(h, "cam-2", T0 + 7000); // another stream's window of the same time is still open
            assertThat(h.drain()).isEmpty();
            assertThat(h.dlq()).singleElement().satisfies(d -> {
                assertThat(d.reason).isEqualTo(DlqReason.LATE.code());
                assertThat(d.key).isEqualTo("cam-1");
                assertThat(d.message).contains(String.valueOf(T0 + 7000), "stream clock " + (T0 + W + 1999));
                assertThat(d.payloadBytes).isPositive();
            });
            assertThat(h.lateFrames()).isOne();
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
            h.quietFor(idle.dividedBy(2));
            frame(h, "cam-1", T0 + 2000);
            frame(h, "cam-2", T0 + 1000);
            h.quietFor(idle.dividedBy(2));
            assertThat(h.drain()).as("cam-1 sent a frame half an idle timeout ago").isEmpty();
            h.quietFor(idle.dividedBy(2).minusMillis(1));
            assertThat(h.drain()).isEmpty();

            h.quietFor(Duration.ofMillis(1));
            List<GenerationTask> out = h.drain();
            assertThat(out).extracting(CaptionHarness::describe)
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
            assertThat(h.dlq()).singleElement()
                    .satisfies(d -> assertThat(d.message).contains(String.valueOf(T0 + 3000)));
            h.quietFor(idle);
            assertThat(h.drain()).extracting(t -> t.caption.windowStartMillis).containsExactly(T0 + W);
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
            assertThat(h.drain()).extracting(CaptionHarness::describe)
                    .containsExactly("caption cam-1", "alert cam-1 q1");
            snapshot = h.snapshot(1L, 1L);
        }
        try (var h = harness(backend, s)) {
            h.setup();
            h.initializeState(snapshot);
            h.open();
            frame(h, "cam-1", T0 + 5000);
            assertThat(h.dlq()).as("the restored clock had closed its window").hasSize(1);
            frame(h, "cam-1", T0 + W + 3000);
            frame(h, "cam-1", T0 + W + 4000);
            frame(h, "cam-1", T0 + 2 * W + 998);
            assertThat(h.drain()).as("the clock one millisecond short of the window's fire time").isEmpty();
            frame(h, "cam-1", T0 + 2 * W + 999);
            List<GenerationTask> out = h.drain();
            assertThat(out).extracting(CaptionHarness::describe)
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
            assertThat(h.drain()).as("its frames may still be waiting in Kafka").isEmpty();
            frame(h, "cam-1", T0 + 2000);
            h.quietFor(idle);
            assertThat(h.drain()).singleElement().satisfies(t -> assertThat(t.caption.frames).isEqualTo(2));
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
            h.quietFor(StreamClockSettings.DEFAULT_IDLE_TIMEOUT);
            List<GenerationTask> first = h.drain();
            assertThat(first).extracting(CaptionHarness::describe).containsExactlyInAnyOrder(
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
                List<GenerationTask> second = restored.drain();
                assertThat(second).extracting(CaptionHarness::describe)
                        .containsExactlyInAnyOrder("caption cam-1", "caption cam-2", "alert cam-2 q2");
                GenerationTask q2 = second.stream().filter(t -> t.alert != null).findFirst().orElseThrow();
                assertThat(q2.alert.question).isEqualTo("what is in the scene ?");
            }
        }
    }
}

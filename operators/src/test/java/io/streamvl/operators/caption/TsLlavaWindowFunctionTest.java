package io.streamvl.operators.caption;

import static io.streamvl.operators.caption.CaptionHarness.PROMPT;
import static io.streamvl.operators.caption.CaptionHarness.T0;
import static io.streamvl.operators.caption.CaptionHarness.W;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamvl.ingest.ModelInputConverter;
import io.streamvl.ingest.ModelInputSpec;
import io.streamvl.ingest.SampledFrame;
import io.streamvl.kafka.DlqReason;
import io.streamvl.models.tsllava.RgbImage;
import io.streamvl.models.tsllava.TsLlavaModel;
import io.streamvl.operators.clock.StreamClockSettings;
import io.streamvl.operators.generate.GenerationTask;
import io.streamvl.operators.model.ModelKind;
import io.streamvl.operators.model.SharedModels;
import io.streamvl.operators.model.TinyModel;
import io.streamvl.operators.testing.Harnesses;
import io.streamvl.operators.vision.EncodedFrameRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** TS-LLaVA caption windows: the shared window semantics, and each window's LLM input straight from the model. */
class TsLlavaWindowFunctionTest {
    private static SharedModels.Lease<TsLlavaModel> lease;
    private static LiveCaptionSettings settings;

    @BeforeAll
    static void lease() {
        lease = SharedModels.acquire(ModelKind.TS_LLAVA, TinyModel.settings());
        settings = CaptionHarness.settings();
    }

    @AfterAll
    static void release() {
        lease.close();
    }

    private static CaptionHarness harness(String backend, LiveCaptionSettings s) throws Exception {
        return new CaptionHarness(new TsLlavaWindowFunction(s), backend);
    }

    /** JPEGs sent per stream and window, by event time. */
    private final Map<String, TreeMap<Long, byte[]>> sent = new HashMap<>();

    private void frame(CaptionHarness h, String stream, long t) throws Exception {
        SampledFrame f = TinyModel.frame(stream, t, t + stream.hashCode());
        sent.computeIfAbsent(stream + "@" + settings.clock().windowStartOf(t), k -> new TreeMap<>()).put(t, f.jpeg);
        EncodedFrameRecord r = new EncodedFrameRecord();
        r.frame = f;
        h.processElement(r, t);
    }

    /**
     * TS-LLaVA's input for the window's frames in time order and the prompt, computed directly; for windows of at
     * least TS-LLaVA's minimum of frames (6 for the tiny model).
     */
    private float[][] expectedInput(String stream, long windowStart, String prompt) {
        ModelInputSpec spec = ModelInputSpec.clipDefaults().withSize(TinyModel.INPUT_SIZE, TinyModel.INPUT_SIZE);
        List<RgbImage> frames = new ArrayList<>();
        for (byte[] jpeg : sent.get(stream + "@" + windowStart).values()) {
            frames.add(RgbImage.ofBytes(TinyModel.INPUT_SIZE, TinyModel.INPUT_SIZE,
                    ModelInputConverter.jpegToRgb(jpeg, spec)));
        }
        assertThat(frames.size()).isGreaterThanOrEqualTo(lease.call(m -> m.config().minimumFrames()));
        return lease.call(m -> m.inputEmbeddings(m.visualTokens(frames), prompt));
    }

    private static int frameEntries(CaptionHarness h, String stream) throws Exception {
        return h.entries(stream, TsLlavaWindowFunction.framesDescriptor(settings));
    }

    @ParameterizedTest
    @ValueSource(strings = {Harnesses.HEAP, Harnesses.ROCKSDB})
    void eachWindowsInputIsTsLlavasInputForAllItsFramesAndEveryPrompt(String backend) throws Exception {
        StandingQuestion q = new StandingQuestion("q1", "cam-1", "is there a red circle ?", "red", true);
        try (var h = harness(backend, settings)) {
            h.open();
            h.processBroadcastElement(q, T0);
            frame(h, "cam-1", T0 + 3000); // out of order within the window: TS-LLaVA sees time order
            frame(h, "cam-2", T0 + 500);
            frame(h, "cam-1", T0);
            for (long t = T0 + 4000; t < T0 + W; t += 1000) {
                frame(h, "cam-1", t);
            }
            assertThat(h.drain()).isEmpty();
            assertThat(frameEntries(h, "cam-1")).isEqualTo(8);

            h.watermark(T0 + 10 * W);
            assertThat(h.drain()).as("the job's watermark closes no window").isEmpty();

            frame(h, "cam-1", T0 + W); // cam-1's clock passes the end of its window
            List<GenerationTask> out = h.drain();
            assertThat(out).extracting(CaptionHarness::describe)
                    .containsExactly("caption cam-1", "alert cam-1 q1");
            GenerationTask caption = out.get(0);
            assertThat(caption.maxNewTokens).isEqualTo(8);
            assertThat(caption.caption.windowStartMillis).isEqualTo(T0);
            assertThat(caption.caption.windowEndMillis).isEqualTo(T0 + W);
            assertThat(caption.caption.frames).isEqualTo(8);
            assertThat(caption.caption.mode).isEqualTo("ts-llava");
            assertThat(caption.mode()).isEqualTo("ts-llava");
            assertThat(caption.caption.model).isEqualTo("tiny-llava-mini");
            TinyModel.assertClose(expectedInput("cam-1", T0, PROMPT), caption.input, 1e-5f);
            GenerationTask alert = out.get(1);
            assertThat(alert.alert.mode).isEqualTo("ts-llava");
            assertThat(alert.alert.frames).isEqualTo(8);
            assertThat(alert.trigger).isEqualTo("red");
            TinyModel.assertClose(expectedInput("cam-1", T0, q.question), alert.input, 1e-5f);
            assertThat(frameEntries(h, "cam-1")).as("a closed window's frames are dropped").isOne();

            frame(h, "cam-1", T0 + 4000);
            assertThat(h.dlq()).singleElement().satisfies(d -> {
                assertThat(d.reason).isEqualTo(DlqReason.LATE.code());
                assertThat(d.message).contains(String.valueOf(T0 + 4000));
            });

            h.quietFor(StreamClockSettings.DEFAULT_IDLE_TIMEOUT);
            List<GenerationTask> idle = h.drain();
            assertThat(idle).as("stopped streams' windows close after the idle timeout")
                    .extracting(CaptionHarness::describe)
                    .containsExactlyInAnyOrder("caption cam-1", "alert cam-1 q1", "caption cam-2");
            GenerationTask one = idle.stream().filter(t -> t.streamId().equals("cam-2")).findFirst().orElseThrow();
            assertThat(one.caption.frames).as("one frame, repeated up to TS-LLaVA's minimum").isOne();
            byte[] only = sent.get("cam-2@" + T0).firstEntry().getValue();
            RgbImage image = RgbImage.ofBytes(TinyModel.INPUT_SIZE, TinyModel.INPUT_SIZE, ModelInputConverter
                    .jpegToRgb(only, ModelInputSpec.clipDefaults().withSize(TinyModel.INPUT_SIZE, TinyModel.INPUT_SIZE)));
            TinyModel.assertClose(lease.call(m -> m.inputEmbeddings(
                    m.visualTokens(Collections.nCopies(m.config().minimumFrames(), image)), PROMPT)),
                    one.input, 1e-5f);
            assertThat(frameEntries(h, "cam-1")).isZero();
            assertThat(frameEntries(h, "cam-2")).isZero();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {Harnesses.HEAP, Harnesses.ROCKSDB})
    void aWindowRestoredMidwayCaptionsAllItsFrames(String backend) throws Exception {
        LiveCaptionSettings s = settings.withClock(settings.clock().withOutOfOrderness(Duration.ofSeconds(1)));
        OperatorSubtaskState snapshot;
        try (var h = harness(backend, s)) {
            h.open();
            frame(h, "cam-1", T0 + 1000);
            frame(h, "cam-1", T0 + W + 1000);
            frame(h, "cam-1", T0 + W + 1500); // clock T0 + W + 500 closes the first window
            frame(h, "cam-1", T0 + W + 2000);
            assertThat(h.drain()).extracting(t -> t.caption.frames).containsExactly(1);
            snapshot = h.snapshot(1L, 1L);
        }
        try (var h = harness(backend, s)) {
            h.setup();
            h.initializeState(snapshot);
            h.open();
            frame(h, "cam-1", T0 + 5000);
            assertThat(h.dlq()).as("the restored clock had closed its window").hasSize(1);
            for (long t = T0 + W + 3000; t < T0 + 2 * W - 1000; t += 1000) {
                frame(h, "cam-1", t);
            }
            frame(h, "cam-1", T0 + 2 * W + 998);
            assertThat(h.drain()).as("the clock one millisecond short of the window's fire time").isEmpty();
            frame(h, "cam-1", T0 + 2 * W + 999);
            List<GenerationTask> out = h.drain();
            assertThat(out).extracting(CaptionHarness::describe).containsExactly("caption cam-1");
            assertThat(out.get(0).caption.windowStartMillis).isEqualTo(T0 + W);
            assertThat(out.get(0).caption.frames).isEqualTo(9);
            TinyModel.assertClose(expectedInput("cam-1", T0 + W, PROMPT), out.get(0).input, 1e-5f);
        }
    }
}

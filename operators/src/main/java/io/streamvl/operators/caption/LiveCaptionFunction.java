package io.streamvl.operators.caption;

import io.streamvl.models.llavamini.EncodedFrame;
import io.streamvl.models.llavamini.IncrementalCaption;
import io.streamvl.models.llavamini.LlavaMiniModel;
import io.streamvl.operators.generate.GenerationTask;
import io.streamvl.operators.model.ModelKind;
import io.streamvl.operators.vision.EncodedFrameRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;

/**
 * Live captions and standing questions per stream and event-time window, by LLaVA-Mini's streaming
 * form: each frame is fused, as it arrives, with the caption prompt and with every active standing
 * question that applies to its stream, into that prompt's running sums for the frame's window
 * ({@link IncrementalCaption}); nothing is recomputed when the window closes. When a window closes, one
 * {@link GenerationTask} per prompt comes out: a caption, and an alert task per standing question, with
 * the LLM input ready for batched generation downstream. When windows close, late frames and the records are
 * {@link CaptionWindowFunction}'s.
 *
 * <p>State: per stream, besides its clock, a map from (window start, prompt) to {@link PromptWindow}, cleared
 * when the window closes, TTL'd like the clock. Prompts are the map key, so a standing question worded as the
 * caption prompt, or two questions worded alike, share one running sum. A question registered mid-window covers
 * the frames from its registration on.
 *
 * <p>The caption prompt's fused text usually comes with the frame, computed by the frame encoder in the
 * pre-fusion run that made its Z' ({@link EncodedFrameRecord#fusedText}); the standing questions (and the caption
 * prompt of a frame encoded without it) are fused here, all of a frame's in one run.
 *
 * <p>Metrics: {@code framesFused}, {@code promptsFused} (frame × prompt fused here) and
 * {@link CaptionWindowFunction}'s.
 */
public class LiveCaptionFunction extends CaptionWindowFunction<LlavaMiniModel> {
    private static final long serialVersionUID = 1L;

    public static final String UID = "live-caption";
    public static final String MODE = ModelKind.LLAVA_MINI.mode();
    public static final String WINDOWS_STATE = "live-caption-windows";
    public static final String CLOCK_STATE = "live-caption-clock";

    private transient MapState<Tuple2<Long, String>, PromptWindow> windows;
    private transient Counter framesFused;
    private transient Counter promptsFused;

    public LiveCaptionFunction(LiveCaptionSettings settings) {
        super(settings, CLOCK_STATE);
    }

    /** The per-stream window state, as a reader of this operator's state must declare it. */
    public static MapStateDescriptor<Tuple2<Long, String>, PromptWindow> windowsDescriptor(
            LiveCaptionSettings settings) {
        TypeInformation<Tuple2<Long, String>> key = Types.TUPLE(Types.LONG, Types.STRING);
        var d = new MapStateDescriptor<>(WINDOWS_STATE, key, TypeInformation.of(PromptWindow.class));
        d.enableTimeToLive(ttl(settings));
        return d;
    }

    @Override
    public void open(OpenContext ctx) throws Exception {
        super.open(ctx);
        windows = getRuntimeContext().getMapState(windowsDescriptor(settings));
        framesFused = getRuntimeContext().getMetricGroup().counter("framesFused");
        promptsFused = getRuntimeContext().getMetricGroup().counter("promptsFused");
    }

    @Override
    protected ModelKind<LlavaMiniModel> kind() {
        return ModelKind.LLAVA_MINI;
    }

    @Override
    protected void take(EncodedFrameRecord record, long windowStart, List<StandingQuestion> questions)
            throws Exception {
        EncodedFrame encoded = record.encodedFrame();
        Map<String, float[][]> texts = new LinkedHashMap<>();
        List<String> toFuse = new ArrayList<>();
        for (String prompt : prompts(questions)) {
            float[][] fusedByEncoder = record.fusedText(prompt);
            texts.put(prompt, fusedByEncoder);
            if (fusedByEncoder == null) {
                toFuse.add(prompt);
            }
        }
        if (!toFuse.isEmpty()) {
            List<float[][]> fused = model().call(m -> m.fusedTexts(encoded, toFuse));
            for (int i = 0; i < toFuse.size(); i++) {
                texts.put(toFuse.get(i), fused.get(i));
            }
            promptsFused.inc(toFuse.size());
        }
        for (Map.Entry<String, float[][]> text : texts.entrySet()) {
            Tuple2<Long, String> key = Tuple2.of(windowStart, text.getKey());
            PromptWindow before = windows.get(key);
            windows.put(key, PromptWindow.of(IncrementalCaption.State.plus(before == null ? null : before.toState(),
                    encoded, text.getValue())));
        }
        framesFused.inc();
    }

    /** The caption prompt, then the questions' texts in id order, each once. */
    private Set<String> prompts(List<StandingQuestion> questions) {
        Set<String> prompts = new LinkedHashSet<>();
        prompts.add(settings.captionPrompt());
        for (StandingQuestion q : questions) {
            prompts.add(q.question);
        }
        return prompts;
    }

    @Override
    protected NavigableSet<Long> openWindows() throws Exception {
        NavigableSet<Long> starts = new TreeSet<>();
        for (Tuple2<Long, String> key : windows.keys()) {
            starts.add(key.f0);
        }
        return starts;
    }

    @Override
    protected void closeWindow(String stream, long windowStart, List<StandingQuestion> questions,
            Collector<GenerationTask> out) throws Exception {
        PromptWindow caption = windows.get(Tuple2.of(windowStart, settings.captionPrompt()));
        if (caption != null) {
            out.collect(captionTask(stream, windowStart, caption.frames, input(settings.captionPrompt(), caption)));
        }
        for (StandingQuestion q : questions) {
            PromptWindow answer = windows.get(Tuple2.of(windowStart, q.question));
            if (answer != null) {
                out.collect(alertTask(q, stream, windowStart, answer.frames, input(q.question, answer)));
            }
        }
        // the prompts of questions cancelled since the window opened too
        List<Tuple2<Long, String>> keys = new ArrayList<>();
        for (Tuple2<Long, String> key : windows.keys()) {
            if (key.f0 == windowStart) {
                keys.add(key);
            }
        }
        for (Tuple2<Long, String> key : keys) {
            windows.remove(key);
        }
    }

    private float[][] input(String prompt, PromptWindow window) {
        return model().call(m -> m.incrementalCaption(prompt, window.toState()).input());
    }
}

package io.streamvl.operators.caption;

import io.streamvl.ingest.SampledFrame;
import io.streamvl.kafka.Alert;
import io.streamvl.kafka.Caption;
import io.streamvl.kafka.DlqReason;
import io.streamvl.kafka.DlqRecord;
import io.streamvl.models.llavamini.EncodedFrame;
import io.streamvl.models.llavamini.IncrementalCaption;
import io.streamvl.operators.generate.GenerationTask;
import io.streamvl.operators.ingest.IngestOutputs;
import io.streamvl.operators.model.SharedModels;
import io.streamvl.operators.vision.EncodedFrameRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Live captions and standing questions per stream and event-time window, by LLaVA-Mini's streaming
 * form: each frame is fused, as it arrives, with the caption prompt and with every active standing
 * question that applies to its stream, into that prompt's running sums for the frame's window
 * ({@link IncrementalCaption}); nothing is recomputed when the window closes. When the watermark
 * passes a window's end plus the allowed lateness, one {@link GenerationTask} per prompt comes out:
 * a caption, and an alert task per standing question, with the LLM input ready for batched
 * generation downstream. Windows without frames emit nothing.
 *
 * <p>Keyed by stream id; second input: {@link StandingQuestion} registrations and cancellations,
 * broadcast with {@link #STANDING_QUESTIONS} (give that stream {@link StandingQuestion#watermarks()},
 * or its watermark holds back every window). State: per stream, a map from (window start, prompt)
 * to {@link PromptWindow}, cleared when the window fires and TTL'd as a guard against a stalled
 * watermark. Prompts are the map key, so a standing question worded as the caption prompt, or two
 * questions worded alike, share one running sum. A question registered mid-window covers the frames
 * from its registration on.
 *
 * <p>A frame for a window that already fired goes to {@link IngestOutputs#DLQ} with reason
 * {@code late}. Metrics: {@code framesFused}, {@code lateFrames}, {@code captionTasks},
 * {@code alertTasks}.
 */
public class LiveCaptionFunction
        extends KeyedBroadcastProcessFunction<String, EncodedFrameRecord, StandingQuestion,
                GenerationTask> {
    private static final long serialVersionUID = 1L;

    public static final String UID = "live-caption";
    public static final String MODE = "llava-mini";
    public static final String WINDOWS_STATE = "live-caption-windows";

    /** The broadcast state of standing questions, by id. */
    public static final MapStateDescriptor<String, StandingQuestion> STANDING_QUESTIONS = new MapStateDescriptor<>(
            "standing-questions", Types.STRING, TypeInformation.of(StandingQuestion.class));

    private final LiveCaptionSettings settings;

    private transient MapState<Tuple2<Long, String>, PromptWindow> windows;
    private transient SharedModels.Lease lease;
    private transient String modelName;
    private transient Counter framesFused;
    private transient Counter lateFrames;
    private transient Counter captionTasks;
    private transient Counter alertTasks;

    public LiveCaptionFunction(LiveCaptionSettings settings) {
        this.settings = settings;
    }

    /** The per-stream window state, as a reader of this operator's state must declare it. */
    public static MapStateDescriptor<Tuple2<Long, String>, PromptWindow> windowsDescriptor(
            LiveCaptionSettings settings) {
        TypeInformation<Tuple2<Long, String>> key = Types.TUPLE(Types.LONG, Types.STRING);
        var d = new MapStateDescriptor<>(WINDOWS_STATE, key, TypeInformation.of(PromptWindow.class));
        d.enableTimeToLive(StateTtlConfig.newBuilder(settings.stateTtl()).updateTtlOnCreateAndWrite()
                .neverReturnExpired().build());
        return d;
    }

    @Override
    public void open(OpenContext ctx) {
        windows = getRuntimeContext().getMapState(windowsDescriptor(settings));
        lease = SharedModels.acquire(settings.model());
        modelName = lease.call(m -> m.bundle().manifest().name());
        var metrics = getRuntimeContext().getMetricGroup();
        framesFused = metrics.counter("framesFused");
        lateFrames = metrics.counter("lateFrames");
        captionTasks = metrics.counter("captionTasks");
        alertTasks = metrics.counter("alertTasks");
    }

    @Override
    public void close() {
        if (lease != null) {
            lease.close();
        }
    }

    @Override
    public void processElement(EncodedFrameRecord record, ReadOnlyContext ctx,
            Collector<GenerationTask> out) throws Exception {
        SampledFrame frame = record.frame;
        long windowStart = settings.windowStartOf(frame.eventTimeMillis);
        long fireAt = settings.fireTimeOf(windowStart);
        long watermark = ctx.timerService().currentWatermark();
        if (fireAt <= watermark) {
            late(ctx, frame, windowStart, watermark);
            return;
        }
        EncodedFrame encoded = record.encodedFrame();
        for (String prompt : prompts(ctx.getCurrentKey(), ctx.getBroadcastState(STANDING_QUESTIONS))) {
            Tuple2<Long, String> key = Tuple2.of(windowStart, prompt);
            PromptWindow before = windows.get(key);
            IncrementalCaption.State after = lease.call(m -> {
                IncrementalCaption c = before == null ? m.incrementalCaption(prompt)
                        : m.incrementalCaption(prompt, before.toState());
                c.add(encoded);
                return c.state();
            });
            windows.put(key, PromptWindow.of(after));
        }
        framesFused.inc();
        ctx.timerService().registerEventTimeTimer(fireAt);
    }

    /** The caption prompt, then the applicable questions' texts in id order, each once. */
    private Set<String> prompts(String stream, ReadOnlyBroadcastState<String, StandingQuestion> questions)
            throws Exception {
        Set<String> prompts = new LinkedHashSet<>();
        prompts.add(settings.captionPrompt());
        for (StandingQuestion q : applicable(stream, questions)) {
            prompts.add(q.question);
        }
        return prompts;
    }

    private static List<StandingQuestion> applicable(String stream,
            ReadOnlyBroadcastState<String, StandingQuestion> questions) throws Exception {
        List<StandingQuestion> out = new ArrayList<>();
        for (Map.Entry<String, StandingQuestion> e : questions.immutableEntries()) {
            if (e.getValue().appliesTo(stream)) {
                out.add(e.getValue());
            }
        }
        out.sort(Comparator.comparing(q -> q.id));
        return out;
    }

    private void late(ReadOnlyContext ctx, SampledFrame frame, long windowStart, long watermark) {
        String message = "frame at " + frame.eventTimeMillis + " of window [" + windowStart + ", "
                + (windowStart + settings.window().toMillis()) + ") arrived after the window was captioned (watermark "
                + watermark + ")";
        DlqRecord dlq = DlqRecord.of(DlqReason.LATE, message, frame.streamId, frame.jpeg);
        dlq.sequence = frame.segmentSequence;
        ctx.output(IngestOutputs.DLQ, dlq);
        lateFrames.inc();
    }

    @Override
    public void processBroadcastElement(StandingQuestion q, Context ctx, Collector<GenerationTask> out)
            throws Exception {
        if (q.active) {
            ctx.getBroadcastState(STANDING_QUESTIONS).put(q.id, q);
        } else {
            ctx.getBroadcastState(STANDING_QUESTIONS).remove(q.id);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<GenerationTask> out) throws Exception {
        long windowStart = settings.windowStartOfFireTime(timestamp);
        List<Tuple2<Long, String>> fired = new ArrayList<>();
        for (Tuple2<Long, String> key : windows.keys()) {
            if (key.f0 == windowStart) {
                fired.add(key);
            }
        }
        String stream = ctx.getCurrentKey();
        PromptWindow caption = windows.get(Tuple2.of(windowStart, settings.captionPrompt()));
        if (caption != null) {
            out.collect(GenerationTask.caption(caption(stream, windowStart, caption.frames),
                    input(settings.captionPrompt(), caption), settings.maxNewTokens()));
            captionTasks.inc();
        }
        for (StandingQuestion q : applicable(stream, ctx.getBroadcastState(STANDING_QUESTIONS))) {
            PromptWindow answer = windows.get(Tuple2.of(windowStart, q.question));
            if (answer != null) {
                out.collect(GenerationTask.alert(alert(q, stream, windowStart, answer.frames), q.trigger,
                        input(q.question, answer), settings.maxNewTokens()));
                alertTasks.inc();
            }
        }
        for (Tuple2<Long, String> key : fired) {
            windows.remove(key);
        }
    }

    private float[][] input(String prompt, PromptWindow window) {
        return lease.call(m -> m.incrementalCaption(prompt, window.toState()).input());
    }

    private Caption caption(String stream, long windowStart, long frames) {
        Caption c = new Caption();
        c.streamId = stream;
        c.windowStartMillis = windowStart;
        c.windowEndMillis = windowStart + settings.window().toMillis();
        c.mode = MODE;
        c.model = modelName;
        c.frames = Math.toIntExact(frames);
        return c;
    }

    private Alert alert(StandingQuestion q, String stream, long windowStart, long frames) {
        Alert a = new Alert();
        a.questionId = q.id;
        a.streamId = stream;
        a.question = q.question;
        a.windowStartMillis = windowStart;
        a.windowEndMillis = windowStart + settings.window().toMillis();
        a.mode = MODE;
        a.model = modelName;
        a.frames = Math.toIntExact(frames);
        return a;
    }
}

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
import java.util.TreeMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Live captions and standing questions per stream and event-time window, by LLaVA-Mini's streaming
 * form: each frame is fused, as it arrives, with the caption prompt and with every active standing
 * question that applies to its stream, into that prompt's running sums for the frame's window
 * ({@link IncrementalCaption}); nothing is recomputed when the window closes. When a window closes, one
 * {@link GenerationTask} per prompt comes out: a caption, and an alert task per standing question, with
 * the LLM input ready for batched generation downstream. Windows without frames emit nothing.
 *
 * <p>Windows close on their stream's own clock ({@link StreamClock}): its newest frame's event time minus
 * the out-of-orderness, once that passes a window's end plus the allowed lateness. Not on the job's
 * watermark, which is the minimum over all cameras and source partitions: when one camera pauses for
 * longer than the source idleness the watermark moves on with the others, and the paused camera's frames
 * would all be late when it resumes. A stream that sends no frame for the idle timeout (processing time)
 * counts as stopped: its open windows close and its clock moves past them. Idle time counts from the
 * stream's last frame or from when this operator started running, whichever is later, so that a job
 * restored after a pause does not close windows whose frames are still waiting in Kafka. Each stream has
 * at most one idle check timer pending; it re-arms itself while frames keep coming.
 *
 * <p>Keyed by stream id; second input: {@link StandingQuestion} registrations and cancellations,
 * broadcast with {@link #STANDING_QUESTIONS}. State: per stream, its clock and a map from
 * (window start, prompt) to {@link PromptWindow}, cleared when the window closes; both TTL'd as a guard
 * against streams that vanish. Prompts are the map key, so a standing question worded as the caption
 * prompt, or two questions worded alike, share one running sum. A question registered mid-window covers
 * the frames from its registration on.
 *
 * <p>A frame for a window its stream's clock already closed goes to {@link IngestOutputs#DLQ} with reason
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
    public static final String CLOCK_STATE = "live-caption-clock";

    /** The broadcast state of standing questions, by id. */
    public static final MapStateDescriptor<String, StandingQuestion> STANDING_QUESTIONS = new MapStateDescriptor<>(
            "standing-questions", Types.STRING, TypeInformation.of(StandingQuestion.class));

    private final LiveCaptionSettings settings;

    private transient MapState<Tuple2<Long, String>, PromptWindow> windows;
    private transient ValueState<StreamClock> clocks;
    /** Processing time of this operator's first call since it was opened (or restored); idle time counts from it. */
    private transient Long runningSince;
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
        d.enableTimeToLive(ttl(settings));
        return d;
    }

    private static ValueStateDescriptor<StreamClock> clockDescriptor(LiveCaptionSettings settings) {
        var d = new ValueStateDescriptor<>(CLOCK_STATE, TypeInformation.of(StreamClock.class));
        d.enableTimeToLive(ttl(settings));
        return d;
    }

    private static StateTtlConfig ttl(LiveCaptionSettings settings) {
        return StateTtlConfig.newBuilder(settings.stateTtl()).updateTtlOnCreateAndWrite().neverReturnExpired()
                .build();
    }

    @Override
    public void open(OpenContext ctx) {
        windows = getRuntimeContext().getMapState(windowsDescriptor(settings));
        clocks = getRuntimeContext().getState(clockDescriptor(settings));
        runningSince = null;
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
        long now = ctx.timerService().currentProcessingTime();
        markRunning(now);
        SampledFrame frame = record.frame;
        StreamClock clock = clock();
        long windowStart = settings.windowStartOf(frame.eventTimeMillis);
        if (settings.fireTimeOf(windowStart) <= clock.eventTime) {
            late(ctx, frame, windowStart, clock.eventTime);
            return;
        }
        String stream = ctx.getCurrentKey();
        ReadOnlyBroadcastState<String, StandingQuestion> questions = ctx.getBroadcastState(STANDING_QUESTIONS);
        fuse(record.encodedFrame(), windowStart, prompts(stream, questions));
        framesFused.inc();
        clock.opened(windowStart);
        clock.lastFrameAt = now;
        clock.advanceTo(frame.eventTimeMillis - settings.outOfOrderness().toMillis());
        close(stream, clock, clock.eventTime, questions, out);
        if (clock.hasOpenWindow() && !clock.idleCheckArmed) {
            ctx.timerService().registerProcessingTimeTimer(now + settings.idleTimeout().toMillis());
            clock.idleCheckArmed = true;
        }
        clocks.update(clock);
    }

    private void markRunning(long now) {
        if (runningSince == null) {
            runningSince = now;
        }
    }

    /**
     * The stream's clock; a new one for a new stream, or for windows restored from a version that closed them
     * on the job's watermark, which kept no clock.
     */
    private StreamClock clock() throws Exception {
        StreamClock clock = clocks.value();
        if (clock != null) {
            return clock;
        }
        long oldest = StreamClock.NO_WINDOW;
        for (Tuple2<Long, String> key : windows.keys()) {
            oldest = Math.min(oldest, key.f0);
        }
        return StreamClock.withOldestOpenWindow(oldest);
    }

    private void fuse(EncodedFrame encoded, long windowStart, Set<String> prompts) throws Exception {
        for (String prompt : prompts) {
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

    private void late(ReadOnlyContext ctx, SampledFrame frame, long windowStart, long streamClock) {
        String message = "frame at " + frame.eventTimeMillis + " of window [" + windowStart + ", "
                + (windowStart + settings.window().toMillis())
                + ") arrived after the window was captioned (stream clock " + streamClock + ")";
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

    /** The stream's idle check: closes its open windows if it has been quiet for the idle timeout, else re-arms. */
    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<GenerationTask> out) throws Exception {
        if (ctx.timeDomain() != TimeDomain.PROCESSING_TIME) {
            return; // restored from a version that closed windows on the job's watermark; the stream's clock does now
        }
        // not the timer's timestamp: a timer restored from before a pause fires late, and the pause is not idleness
        long now = ctx.timerService().currentProcessingTime();
        markRunning(now);
        StreamClock clock = clocks.value();
        if (clock == null) {
            return;
        }
        clock.idleCheckArmed = false;
        long quietSince = Math.max(clock.lastFrameAt, runningSince);
        long idle = settings.idleTimeout().toMillis();
        if (now - quietSince >= idle) {
            close(ctx.getCurrentKey(), clock, Long.MAX_VALUE, ctx.getBroadcastState(STANDING_QUESTIONS), out);
        } else if (clock.hasOpenWindow()) {
            ctx.timerService().registerProcessingTimeTimer(quietSince + idle);
            clock.idleCheckArmed = true;
        }
        clocks.update(clock);
    }

    /**
     * Closes, in order, the stream's open windows whose fire time is at most {@code through}, and moves its clock
     * past them.
     */
    private void close(String stream, StreamClock clock, long through,
            ReadOnlyBroadcastState<String, StandingQuestion> questions, Collector<GenerationTask> out)
            throws Exception {
        if (!clock.hasOpenWindow() || settings.fireTimeOf(clock.oldestOpenWindow) > through) {
            return;
        }
        TreeMap<Long, List<Tuple2<Long, String>>> open = new TreeMap<>();
        for (Tuple2<Long, String> key : windows.keys()) {
            open.computeIfAbsent(key.f0, k -> new ArrayList<>()).add(key);
        }
        clock.oldestOpenWindow = StreamClock.NO_WINDOW;
        for (Map.Entry<Long, List<Tuple2<Long, String>>> window : open.entrySet()) {
            long fireAt = settings.fireTimeOf(window.getKey());
            if (fireAt > through) {
                clock.oldestOpenWindow = window.getKey();
                return;
            }
            emit(stream, window.getKey(), questions, out);
            for (Tuple2<Long, String> key : window.getValue()) {
                windows.remove(key);
            }
            clock.advanceTo(fireAt);
        }
    }

    private void emit(String stream, long windowStart, ReadOnlyBroadcastState<String, StandingQuestion> questions,
            Collector<GenerationTask> out) throws Exception {
        PromptWindow caption = windows.get(Tuple2.of(windowStart, settings.captionPrompt()));
        if (caption != null) {
            out.collect(GenerationTask.caption(caption(stream, windowStart, caption.frames),
                    input(settings.captionPrompt(), caption), settings.maxNewTokens()));
            captionTasks.inc();
        }
        for (StandingQuestion q : applicable(stream, questions)) {
            PromptWindow answer = windows.get(Tuple2.of(windowStart, q.question));
            if (answer != null) {
                out.collect(GenerationTask.alert(alert(q, stream, windowStart, answer.frames), q.trigger,
                        input(q.question, answer), settings.maxNewTokens()));
                alertTasks.inc();
            }
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

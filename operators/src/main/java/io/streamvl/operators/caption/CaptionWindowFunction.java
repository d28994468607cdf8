package io.streamvl.operators.caption;

import io.streamvl.ingest.SampledFrame;
import io.streamvl.kafka.Alert;
import io.streamvl.kafka.Caption;
import io.streamvl.kafka.DlqReason;
import io.streamvl.kafka.DlqRecord;
import io.streamvl.operators.generate.GenerationTask;
import io.streamvl.operators.clock.StreamClocks;
import io.streamvl.operators.ingest.IngestOutputs;
import io.streamvl.operators.model.ModelKind;
import io.streamvl.operators.model.SharedModels;
import io.streamvl.operators.vision.EncodedFrameRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Live captions and standing questions per stream and event-time window, whatever the model does with a window's
 * frames: when windows close, what is late, and what the caption and alert records say. A subclass keeps its
 * windows' state ({@link #take}), lists the windows it holds ({@link #openWindows}) and turns a closing window into
 * generation tasks ({@link #closeWindow}, with {@link #captionTask} and {@link #alertTask}). Windows without frames
 * emit nothing.
 *
 * <p>Windows close on their stream's own clock ({@link StreamClocks}, with {@link LiveCaptionSettings#clock()}):
 * its newest frame's event time minus the out-of-orderness, once that passes a window's end plus the allowed
 * lateness, or after the idle timeout without a frame; never on the job's watermark, so that a camera that paused
 * while others went on loses none of its frames.
 *
 * <p>Keyed by stream id; second input: {@link StandingQuestion} registrations and cancellations,
 * broadcast with {@link #STANDING_QUESTIONS}. The stream's clock is keyed state, TTL'd (as the subclass's window
 * state should be) as a guard against streams that vanish. A frame for a window its stream's clock already closed
 * goes to {@link IngestOutputs#DLQ} with reason {@code late}. Metrics: {@code lateFrames}, {@code captionTasks},
 * {@code alertTasks}.
 */
public abstract class CaptionWindowFunction<M extends AutoCloseable>
        extends KeyedBroadcastProcessFunction<String, EncodedFrameRecord, StandingQuestion, GenerationTask> {
    private static final long serialVersionUID = 1L;

    /** The broadcast state of standing questions, by id. */
    public static final MapStateDescriptor<String, StandingQuestion> STANDING_QUESTIONS = new MapStateDescriptor<>(
            "standing-questions", Types.STRING, TypeInformation.of(StandingQuestion.class));

    protected final LiveCaptionSettings settings;
    private final String clockState;

    private transient SharedModels.Lease<M> lease;
    private transient String modelName;
    private transient StreamClocks clocks;
    private transient Counter lateFrames;
    private transient Counter captionTasks;
    private transient Counter alertTasks;

    /** @param clockState name of the streams' clock state */
    protected CaptionWindowFunction(LiveCaptionSettings settings, String clockState) {
        this.settings = settings;
        this.clockState = clockState;
    }

    /** TTL of the window state: dropped after the caption state TTL without a write. */
    protected static StateTtlConfig ttl(LiveCaptionSettings settings) {
        return StateTtlConfig.newBuilder(settings.stateTtl()).updateTtlOnCreateAndWrite().neverReturnExpired()
                .build();
    }

    /** Subclasses open their own state after this. */
    @Override
    public void open(OpenContext ctx) throws Exception {
        lease = SharedModels.acquire(kind(), settings.model());
        modelName = lease.call(kind()::modelName);
        var d = new ValueStateDescriptor<>(clockState, TypeInformation.of(StreamClock.class));
        d.enableTimeToLive(ttl(settings));
        clocks = new StreamClocks(settings.clock(), getRuntimeContext().getState(d));
        var metrics = getRuntimeContext().getMetricGroup();
        lateFrames = metrics.counter("lateFrames");
        captionTasks = metrics.counter("captionTasks");
        alertTasks = metrics.counter("alertTasks");
    }

    /** Keeps the frame in its window's state for the caption prompt and {@code questions}. */
    protected abstract void take(EncodedFrameRecord record, long windowStart, List<StandingQuestion> questions)
            throws Exception;

    /** Starts of the current stream's windows that hold state, oldest first. */
    protected abstract NavigableSet<Long> openWindows() throws Exception;

    /**
     * Emits the window's caption task and an alert task per question in {@code questions} that it has state for, and
     * clears the window's state.
     */
    protected abstract void closeWindow(String stream, long windowStart, List<StandingQuestion> questions,
            Collector<GenerationTask> out) throws Exception;

    /** The model the windows are captioned with; the records name its mode. */
    protected abstract ModelKind<M> kind();

    /** The shared model of {@link #kind()}, leased while this operator is open. */
    protected SharedModels.Lease<M> model() {
        return lease;
    }

    @Override
    public void close() {
        if (lease != null) {
            lease.close();
        }
    }

    @Override
    public void processElement(EncodedFrameRecord record, ReadOnlyContext ctx, Collector<GenerationTask> out)
            throws Exception {
        SampledFrame frame = record.frame;
        String stream = ctx.getCurrentKey();
        List<StandingQuestion> questions = applicable(stream, ctx.getBroadcastState(STANDING_QUESTIONS));
        StreamClocks.Windows windows = windows(stream, questions, out);
        StreamClock clock = clocks.current(ctx.timerService(), windows);
        long windowStart = settings.clock().windowStartOf(frame.eventTimeMillis);
        if (clocks.hasClosed(clock, windowStart)) {
            late(ctx, frame, windowStart, clock.eventTime);
            return;
        }
        take(record, windowStart, questions);
        clocks.took(clock, windowStart, frame.eventTimeMillis, ctx.timerService(), windows);
    }

    /** The stream's windows, as its clock closes them: each with {@code questions}. */
    private StreamClocks.Windows windows(String stream, List<StandingQuestion> questions,
            Collector<GenerationTask> out) {
        return new StreamClocks.Windows() {
            @Override
            public NavigableSet<Long> open() throws Exception {
                return openWindows();
            }

            @Override
            public void close(long windowStart) throws Exception {
                closeWindow(stream, windowStart, questions, out);
            }
        };
    }

    /** The active standing questions that apply to the stream, in id order. */
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
                + settings.clock().windowEndOf(windowStart)
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

    /** The stream's idle check (or a restored watermark-era window's timer: {@link StreamClocks#idleCheck}). */
    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<GenerationTask> out) throws Exception {
        String stream = ctx.getCurrentKey();
        clocks.idleCheck(ctx.timerService(),
                windows(stream, applicable(stream, ctx.getBroadcastState(STANDING_QUESTIONS)), out));
    }

    /** The window's caption task, counted. */
    protected GenerationTask captionTask(String stream, long windowStart, long frames, float[][] input) {
        Caption c = new Caption();
        c.streamId = stream;
        c.windowStartMillis = windowStart;
        c.windowEndMillis = settings.clock().windowEndOf(windowStart);
        c.mode = kind().mode();
        c.model = modelName;
        c.frames = Math.toIntExact(frames);
        captionTasks.inc();
        return GenerationTask.caption(c, input, settings.maxNewTokens());
    }

    /** The window's alert task for {@code q}, counted. */
    protected GenerationTask alertTask(StandingQuestion q, String stream, long windowStart, long frames,
            float[][] input) {
        Alert a = new Alert();
        a.questionId = q.id;
        a.streamId = stream;
        a.question = q.question;
        a.windowStartMillis = windowStart;
        a.windowEndMillis = settings.clock().windowEndOf(windowStart);
        a.mode = kind().mode();
        a.model = modelName;
        a.frames = Math.toIntExact(frames);
        alertTasks.inc();
        return GenerationTask.alert(a, q.trigger, input, settings.maxNewTokens());
    }
}

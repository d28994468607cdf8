package io.streamvl.operators.ingest;

import io.streamvl.ingest.FrameExtractor;
import io.streamvl.ingest.FrameListener;
import io.streamvl.ingest.FrameSampler;
import io.streamvl.ingest.SampledFrame;
import io.streamvl.ingest.VideoDecodeException;
import io.streamvl.ingest.VideoInput;
import io.streamvl.kafka.DlqReason;
import io.streamvl.kafka.DlqRecord;
import io.streamvl.kafka.Segment;
import io.streamvl.kafka.SegmentDeserializationSchema;
import io.streamvl.operators.caption.StreamClock;
import io.streamvl.operators.clock.StreamClocks;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Decodes each stream's segments from memory, samples frames on event time and emits them as
 * compact {@link SampledFrame}s. Keyed by stream id, so the sampler's position and the sequence
 * check carry across segment boundaries (and checkpoints) per stream.
 *
 * <p>A segment that cannot be used goes to the {@link IngestOutputs#DLQ} side output with its
 * reason and the stream goes on with the next one.
 *
 * <p>Per-window ingest counters ({@link WindowStats}) go out on {@link IngestOutputs#STATUS} once per stream and
 * window, when the stream's own clock closes the window ({@link StreamClocks} with
 * {@link IngestSettings#statusClock}, the caption windows' settings): its newest decoded frame's event time, or a
 * frameless segment's start, minus the out-of-orderness passes the window's end plus the lateness; or the stream
 * sends no segment for the idle timeout. Not on the job's watermark, which moves on with the other cameras while
 * one pauses: the paused camera's window would be reported early, then again with what came after the pause.
 * Counts for a window the stream already reported (it paused mid-window for longer than the idle timeout, or its
 * segments came more out of order than its clock allows) are in no status record, and the segment is counted by the
 * {@code statusLateSegments} metric; the frames still go on. The
 * clock and the open windows' counters are keyed state, without TTL like the sampler's position: a stopped stream's
 * windows are reported and dropped after the idle timeout.
 */
public class SegmentDecodeFunction extends KeyedProcessFunction<String, Segment, SampledFrame> {
    private static final long serialVersionUID = 1L;

    private final IngestSettings settings;

    private transient ValueState<Long> samplerTick;
    private transient ValueState<Long> lastSequence;
    private transient MapState<Long, WindowStats> windowStats;
    private transient StreamClocks clocks;
    private transient FrameExtractor extractor;
    private transient IngestMetrics metrics;
    // Window stats are read once per segment into this buffer and written back in flush(), so a
    // segment costs one state read and write per window it touches, not one per frame.
    private transient Map<Long, WindowStats> pending;

    public SegmentDecodeFunction(IngestSettings settings) {
        this.settings = settings;
    }

    @Override
    public void open(OpenContext ctx) {
        samplerTick = getRuntimeContext().getState(new ValueStateDescriptor<>("sampler-tick", Types.LONG));
        lastSequence = getRuntimeContext().getState(new ValueStateDescriptor<>("last-sequence", Types.LONG));
        windowStats = getRuntimeContext().getMapState(new MapStateDescriptor<>(
                "window-stats", Types.LONG, TypeInformation.of(WindowStats.class)));
        clocks = new StreamClocks(settings.statusClock, getRuntimeContext().getState(
                new ValueStateDescriptor<>("status-clock", TypeInformation.of(StreamClock.class))));
        extractor = new FrameExtractor(settings.decoder, settings.modelInput);
        metrics = new IngestMetrics(getRuntimeContext().getMetricGroup());
        pending = new HashMap<>();
    }

    @Override
    public void close() throws Exception {
        if (extractor != null) {
            extractor.close();
        }
    }

    @Override
    public void processElement(Segment segment, Context ctx, Collector<SampledFrame> out) throws Exception {
        String streamId = ctx.getCurrentKey();
        StreamClocks.Windows statusWindows = statusWindows(streamId, ctx);
        StreamClock clock = clocks.current(ctx.timerService(), statusWindows);
        Set<Long> touched = new HashSet<>();
        WindowStats atStart = stats(segment.startMillis, touched);
        atStart.segments++;
        countSequenceGap(segment, streamId, atStart);

        DlqReason rejected = admissionCheck(segment);
        if (rejected != null) {
            reject(ctx, streamId, segment, rejected,
                    segment.invalidReason != null ? segment.invalidReason : describeOversize(segment));
            atStart.decodeErrors++;
        } else {
            decode(segment, streamId, touched, ctx, out);
        }
        long eventTime = eventTime(segment);
        long oldestWritten = flush(streamId, touched, clock);
        if (oldestWritten != StreamClock.NO_WINDOW) {
            clocks.took(clock, oldestWritten, eventTime, ctx.timerService(), statusWindows);
        }
    }

    /**
     * The event time the segment moves its stream's clock to: its newest decoded frame, or its start when it has
     * none; a segment with bad headers has no start to trust.
     */
    private long eventTime(Segment segment) {
        long t = segment.isValid() ? segment.startMillis : Long.MIN_VALUE;
        for (WindowStats s : pending.values()) {
            t = Math.max(t, s.newestFrameMillis);
        }
        return t;
    }

    private DlqReason admissionCheck(Segment segment) {
        if (!segment.isValid()) {
            return SegmentDeserializationSchema.dlqReason(segment);
        }
        if (segment.data == null || segment.data.length > settings.maxSegmentBytes) {
            return DlqReason.OVERSIZED;
        }
        return null;
    }

    private String describeOversize(Segment s) {
        return "segment of " + (s.data == null ? 0 : s.data.length) + " bytes exceeds the limit of "
                + settings.maxSegmentBytes + " bytes";
    }

    private void decode(Segment segment, String streamId, Set<Long> touched, Context ctx,
            Collector<SampledFrame> out) throws Exception {
        FrameSampler sampler = new FrameSampler(settings.samplingFps);
        Long tick = samplerTick.value();
        if (tick != null) {
            sampler.restoreLastTick(tick);
        }
        IngestMetrics.Counters streamCounters = metrics.stream(streamId);
        FrameListener listener = new FrameListener() {
            @Override
            public void decoded(long eventTimeMillis) {
                statsUnchecked(eventTimeMillis, touched).frameDecoded(eventTimeMillis);
                metrics.total().frameDecoded(eventTimeMillis);
                streamCounters.frameDecoded(eventTimeMillis);
            }

            @Override
            public void sampled(SampledFrame frame) {
                statsUnchecked(frame.eventTimeMillis, touched).framesSampled++;
                metrics.total().framesSampled.inc();
                streamCounters.framesSampled.inc();
                out.collect(frame);
            }
        };
        try {
            extractor.extract(VideoInput.ofBytes(segment.data, segment.container), streamId,
                    segment.startMillis, segment.sequence, sampler, listener);
            metrics.total().segmentsDecoded.inc();
            streamCounters.segmentsDecoded.inc();
        } catch (VideoDecodeException e) {
            stats(segment.startMillis, touched).decodeErrors++;
            metrics.total().decodeErrors.inc();
            streamCounters.decodeErrors.inc();
            reject(ctx, streamId, segment, e.reason(), e.getMessage());
        } finally {
            // frames emitted before a mid-segment error were delivered, so the sampler keeps its position
            if (sampler.lastTick() != FrameSampler.NO_TICK) {
                samplerTick.update(sampler.lastTick());
            }
        }
    }

    private void countSequenceGap(Segment segment, String streamId, WindowStats stats) throws Exception {
        if (!segment.isValid()) {
            return;
        }
        Long last = lastSequence.value();
        if (last != null && segment.sequence > last + 1) {
            long missing = segment.sequence - last - 1;
            stats.sequenceGaps += missing;
            metrics.total().sequenceGaps.inc(missing);
            metrics.stream(streamId).sequenceGaps.inc(missing);
        }
        if (last == null || segment.sequence > last) {
            lastSequence.update(segment.sequence);
        }
    }

    private void reject(Context ctx, String streamId, Segment segment, DlqReason reason, String message) {
        DlqRecord record = DlqRecord.of(reason, message, streamId, segment.data).from(segment);
        ctx.output(IngestOutputs.DLQ, record);
        metrics.dlq(streamId, reason);
    }

    private WindowStats stats(long eventTimeMillis, Set<Long> touched) throws Exception {
        long windowStart = settings.statusClock.windowStartOf(eventTimeMillis);
        touched.add(windowStart);
        WindowStats s = pending.get(windowStart);
        if (s == null) {
            s = windowStats.get(windowStart);
            if (s == null) {
                s = new WindowStats();
            }
            pending.put(windowStart, s);
        }
        return s;
    }

    private WindowStats statsUnchecked(long eventTimeMillis, Set<Long> touched) {
        try {
            return stats(eventTimeMillis, touched);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read window statistics state", e);
        }
    }

    /**
     * Writes the segment's counts to their windows' state, except for windows the stream's clock already closed
     * (counted once per segment); returns the oldest window written, or {@link StreamClock#NO_WINDOW}.
     */
    private long flush(String streamId, Set<Long> touched, StreamClock clock) throws Exception {
        long oldest = StreamClock.NO_WINDOW;
        boolean late = false;
        for (long windowStart : touched) {
            if (clocks.hasClosed(clock, windowStart)) {
                late = true;
            } else {
                windowStats.put(windowStart, pending.get(windowStart));
                oldest = Math.min(oldest, windowStart);
            }
        }
        pending.clear();
        if (late) {
            metrics.statusLate(streamId);
        }
        return oldest;
    }

    /** The stream's status windows, as its clock closes them: each into its status record. */
    private StreamClocks.Windows statusWindows(String streamId, Context ctx) {
        return new StreamClocks.Windows() {
            @Override
            public NavigableSet<Long> open() throws Exception {
                NavigableSet<Long> starts = new TreeSet<>();
                for (long windowStart : windowStats.keys()) {
                    starts.add(windowStart);
                }
                return starts;
            }

            @Override
            public void close(long windowStart) throws Exception {
                ctx.output(IngestOutputs.STATUS, windowStats.get(windowStart).toStatus(streamId, windowStart,
                        settings.statusClock.windowEndOf(windowStart)));
                windowStats.remove(windowStart);
            }
        };
    }

    /** The stream's idle check (or a restored watermark-era window's timer: {@link StreamClocks#idleCheck}). */
    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<SampledFrame> out) throws Exception {
        clocks.idleCheck(ctx.timerService(), statusWindows(ctx.getCurrentKey(), ctx));
    }
}

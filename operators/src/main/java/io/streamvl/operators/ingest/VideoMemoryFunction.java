package io.streamvl.operators.ingest;

import io.streamvl.ingest.SampledFrame;
import io.streamvl.kafka.AnswerStatus;
import io.streamvl.kafka.IngestStatus;
import io.streamvl.kafka.Query;
import io.streamvl.operators.query.EvenSample;
import io.streamvl.operators.query.ProgressEvents;
import io.streamvl.operators.query.QueryFrame;
import io.streamvl.operators.query.QueryFrames;
import io.streamvl.operators.query.QueryMetrics;
import io.streamvl.operators.query.QueryOutputs;
import io.streamvl.operators.query.QueryRequest;
import io.streamvl.operators.query.QuerySettings;
import io.streamvl.operators.vision.FusedTokens;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The per-stream video memory: every sampled frame, kept compactly (JPEG at model resolution) in keyed state
 * under its event time, with its LLaVA-Mini Z' beside it, so history queries can be answered for any time
 * range without the original video and without re-running the frames' prompt-independent pre-fusion.
 *
 * <p>Bounded three ways: by age relative to the stream's newest frame ({@code retention}), by count
 * ({@code maxFrames}, oldest evicted first), and by a processing-time TTL that drops the whole memory of a
 * stream that has gone silent ({@code idleTtl}).
 *
 * <p>First input: {@link MemoryFrame}s, the encoded frames cut down to JPEG and Z'. The JPEG stays in
 * {@value #FRAMES_STATE} (same descriptor as before Z' was kept, so older savepoints restore, their frames simply
 * without Z'); Z' goes to {@value #FUSED_STATE} in {@link FusedTokens} form. In TS-LLaVA caption mode frames come
 * without LLaVA-Mini's tokens and only the JPEG is kept (a LLaVA-Mini question about them recomputes Z'). Per frame
 * that is the JPEG (10–35 KB at 336² q90) plus {@code 8 + 4·C²·D} bytes of Z' (16 KiB for C = 1, D = 4096) plus
 * ~64 bytes of fields; the frame's G and Z (patch and compressed tokens, 9.4 MB at P = 576, D = 4096) are not kept:
 * a question recomputes them from the JPEG.
 *
 * <p>Second input ({@link MemoryInput}): the decoder's per-window {@link IngestStatus}, completed with the
 * memory's size and forwarded on the main output; or a history query, resolved against what the memory holds
 * when it arrives. A query covering frames becomes {@link QueryFrames} on {@link QueryOutputs#QUERY_FRAMES}
 * (at most {@link QuerySettings#maxFramesPerQuery()}, picked evenly by {@link EvenSample}) with an
 * {@code accepted} event on {@link QueryOutputs#PROGRESS}; otherwise an error answer on
 * {@link QueryOutputs#ANSWERS}: {@code unknown-stream} when the memory is empty (never seen, or idle past its
 * TTL), {@code beyond-retention} when the range ends before the oldest frame held, {@code empty-range} when no
 * frame falls in it.
 */
public class VideoMemoryFunction
        extends KeyedCoProcessFunction<String, MemoryFrame, MemoryInput, IngestStatus> {
    private static final long serialVersionUID = 1L;

    public static final String FRAMES_STATE = "video-memory-frames";
    public static final String INDEX_STATE = "video-memory-index";
    public static final String FUSED_STATE = "video-memory-fused";

    private final IngestSettings settings;
    private final QuerySettings querySettings;

    private transient MapState<Long, SampledFrame> frames;
    private transient MapState<Long, byte[]> fused;
    private transient ValueState<MemoryIndex> index;
    private transient Counter stored;
    private transient Counter evicted;
    private transient Counter tooOld;
    private transient QueryMetrics queryMetrics;

    public VideoMemoryFunction(IngestSettings settings, QuerySettings querySettings) {
        this.settings = settings;
        this.querySettings = querySettings;
    }

    IngestSettings settings() {
        return settings;
    }

    /** The frames' state, as a reader of this operator's state (e.g. the State Processor API) must declare it. */
    public static MapStateDescriptor<Long, SampledFrame> framesDescriptor(IngestSettings settings) {
        var d = new MapStateDescriptor<>(FRAMES_STATE, Types.LONG, TypeInformation.of(SampledFrame.class));
        d.enableTimeToLive(idleTtl(settings));
        return d;
    }

    /** Z' of the frames that have one, by event time, in {@link FusedTokens} form. */
    public static MapStateDescriptor<Long, byte[]> fusedDescriptor(IngestSettings settings) {
        var d = new MapStateDescriptor<>(FUSED_STATE, Types.LONG, PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);
        d.enableTimeToLive(idleTtl(settings));
        return d;
    }

    public static ValueStateDescriptor<MemoryIndex> indexDescriptor(IngestSettings settings) {
        var d = new ValueStateDescriptor<>(INDEX_STATE, TypeInformation.of(MemoryIndex.class));
        d.enableTimeToLive(idleTtl(settings));
        return d;
    }

    private static StateTtlConfig idleTtl(IngestSettings settings) {
        return StateTtlConfig.newBuilder(settings.memoryIdleTtl)
                .updateTtlOnCreateAndWrite()
                .neverReturnExpired()
                .build();
    }

    @Override
    public void open(OpenContext ctx) {
        frames = getRuntimeContext().getMapState(framesDescriptor(settings));
        fused = getRuntimeContext().getMapState(fusedDescriptor(settings));
        index = getRuntimeContext().getState(indexDescriptor(settings));
        stored = getRuntimeContext().getMetricGroup().counter("memoryFramesStored");
        evicted = getRuntimeContext().getMetricGroup().counter("memoryFramesEvicted");
        tooOld = getRuntimeContext().getMetricGroup().counter("memoryFramesTooOld");
        queryMetrics = new QueryMetrics(getRuntimeContext().getMetricGroup());
    }

    @Override
    public void processElement1(MemoryFrame record, Context ctx, Collector<IngestStatus> out)
            throws Exception {
        SampledFrame frame = record.frame;
        MemoryIndex idx = index.value();
        if (idx == null) {
            idx = new MemoryIndex();
        }
        long horizon = idx.size() == 0 ? Long.MIN_VALUE
                : idx.newest() - settings.memoryRetention.toMillis();
        if (frame.eventTimeMillis < horizon) {
            tooOld.inc();
            return;
        }
        long t = frame.eventTimeMillis;
        if (idx.contains(t)) {
            idx.bytes -= sizeOf(frames.get(t), fused.get(t));
        }
        byte[] z = record.fused;
        frames.put(t, frame);
        if (z == null) {
            fused.remove(t);
        } else {
            fused.put(t, z);
        }
        idx.add(t);
        idx.bytes += sizeOf(frame, z);
        stored.inc();
        evict(idx);
        index.update(idx);
    }

    private void evict(MemoryIndex idx) throws Exception {
        long horizon = idx.newest() - settings.memoryRetention.toMillis();
        while (idx.size() > settings.memoryMaxFrames || (idx.size() > 0 && idx.oldest() < horizon)) {
            long oldest = idx.oldest();
            idx.bytes -= sizeOf(frames.get(oldest), fused.get(oldest));
            frames.remove(oldest);
            fused.remove(oldest);
            idx.removeOldest();
            evicted.inc();
        }
    }

    @Override
    public void processElement2(MemoryInput input, Context ctx, Collector<IngestStatus> out) throws Exception {
        if (input.status != null) {
            MemoryIndex idx = index.value();
            input.status.memoryFrames = idx == null ? 0 : idx.size();
            input.status.memoryBytes = idx == null ? 0 : idx.bytes;
            out.collect(input.status);
        } else {
            resolve(input.query, ctx);
        }
    }

    /** Answers a history query with the frames it covers, or with why there are none. */
    private void resolve(QueryRequest request, Context ctx) throws Exception {
        long now = System.currentTimeMillis();
        Query q = request.query;
        MemoryIndex idx = index.value();
        List<QueryFrame> held = new ArrayList<>();
        String problem = null;
        String status = null;
        if (idx == null || idx.size() == 0) {
            status = AnswerStatus.UNKNOWN_STREAM;
            problem = "no video memory for stream '" + q.streamId + "': never seen, or silent for longer than "
                    + settings.memoryIdleTtl;
        } else {
            long from = q.fromMillis == null ? Long.MIN_VALUE : q.fromMillis;
            long to = q.toMillis == null ? Long.MAX_VALUE : q.toMillis;
            int first = idx.firstAtOrAfter(from);
            int end = idx.firstAtOrAfter(to);
            if (to <= idx.oldest()) {
                status = AnswerStatus.BEYOND_RETENTION;
                problem = "the range ends at " + Instant.ofEpochMilli(to) + ", before the oldest frame held ("
                        + Instant.ofEpochMilli(idx.oldest()) + "; retention " + settings.memoryRetention + ", at most "
                        + settings.memoryMaxFrames + " frames)";
            } else if (first >= end) {
                status = AnswerStatus.EMPTY_RANGE;
                problem = "no frame of stream '" + q.streamId + "' in " + describe(from, to) + "; the memory holds "
                        + Instant.ofEpochMilli(idx.oldest()) + " to " + Instant.ofEpochMilli(idx.newest());
            } else {
                for (int i : EvenSample.indices(end - first, querySettings.maxFramesPerQuery())) {
                    long t = idx.times[first + i];
                    SampledFrame f = frames.get(t);
                    // the index outlives frames of a stream gone idle by up to their TTL: skip what expired
                    if (f != null) {
                        held.add(new QueryFrame(t, f.jpeg, fused.get(t)));
                    }
                }
                if (held.isEmpty()) {
                    status = AnswerStatus.UNKNOWN_STREAM;
                    problem = "the video memory of stream '" + q.streamId + "' expired (idle TTL "
                            + settings.memoryIdleTtl + ")";
                }
            }
        }
        if (problem != null) {
            queryMetrics.error(status);
            ctx.output(QueryOutputs.ANSWERS, request.error(status, problem, now));
            return;
        }
        QueryFrames resolved = QueryFrames.covering(request, held.toArray(new QueryFrame[0]), frameIntervalMillis());
        queryMetrics.accepted();
        queryMetrics.framesUsed(held.size());
        ctx.output(QueryOutputs.PROGRESS, ProgressEvents.accepted(q.queryId, held.size() + " frames from "
                + describe(resolved.rangeStartMillis, resolved.rangeEndMillis), now));
        ctx.output(QueryOutputs.QUERY_FRAMES, resolved);
    }

    /** The time one sampled frame stands for. */
    private long frameIntervalMillis() {
        return (long) Math.ceil(1000.0 / settings.samplingFps);
    }

    private static String describe(long from, long to) {
        return (from == Long.MIN_VALUE ? "the beginning" : Instant.ofEpochMilli(from).toString()) + " to "
                + (to == Long.MAX_VALUE ? "now" : Instant.ofEpochMilli(to).toString());
    }

    /** Bytes a stored frame costs: the JPEG, its Z' if any, and the fixed fields. */
    static long sizeOf(SampledFrame f, byte[] fusedTokens) {
        if (f == null) {
            return 0;
        }
        return (f.jpeg == null ? 0 : f.jpeg.length) + (fusedTokens == null ? 0 : fusedTokens.length) + 64L
                + (f.streamId == null ? 0 : f.streamId.length());
    }
}

package io.streamvl.operators.ingest;

import io.streamvl.ingest.SampledFrame;
import io.streamvl.kafka.IngestStatus;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The per-stream video memory: every sampled frame, kept compactly (JPEG at model resolution) in
 * keyed state under its event time, so later operators can recompute model input for any time
 * range without the original video.
 *
 * <p>Bounded three ways: by age relative to the stream's newest frame ({@code retention}), by
 * count ({@code maxFrames}, oldest evicted first), and by a processing-time TTL that drops the
 * whole memory of a stream that has gone silent ({@code idleTtl}).
 *
 * <p>Second input: the decoder's per-window {@link IngestStatus}, completed here with the memory's
 * size and forwarded, so one status record tells the whole ingest story of a window.
 */
public class VideoMemoryFunction extends KeyedCoProcessFunction<String, SampledFrame, IngestStatus, IngestStatus> {
    private static final long serialVersionUID = 1L;

    public static final String FRAMES_STATE = "video-memory-frames";
    public static final String INDEX_STATE = "video-memory-index";

    private final IngestSettings settings;

    private transient MapState<Long, SampledFrame> frames;
    private transient ValueState<MemoryIndex> index;
    private transient Counter stored;
    private transient Counter evicted;
    private transient Counter tooOld;

    public VideoMemoryFunction(IngestSettings settings) {
        this.settings = settings;
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
        index = getRuntimeContext().getState(indexDescriptor(settings));
        stored = getRuntimeContext().getMetricGroup().counter("memoryFramesStored");
        evicted = getRuntimeContext().getMetricGroup().counter("memoryFramesEvicted");
        tooOld = getRuntimeContext().getMetricGroup().counter("memoryFramesTooOld");
    }

    @Override
    public void processElement1(SampledFrame frame, Context ctx, Collector<IngestStatus> out) throws Exception {
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
        SampledFrame previous = idx.contains(frame.eventTimeMillis) ? frames.get(frame.eventTimeMillis) : null;
        if (previous != null) {
            idx.bytes -= sizeOf(previous);
        }
        frames.put(frame.eventTimeMillis, frame);
        idx.add(frame.eventTimeMillis);
        idx.bytes += sizeOf(frame);
        stored.inc();
        evict(idx);
        index.update(idx);
    }

    private void evict(MemoryIndex idx) throws Exception {
        long horizon = idx.newest() - settings.memoryRetention.toMillis();
        while (idx.size() > settings.memoryMaxFrames || (idx.size() > 0 && idx.oldest() < horizon)) {
            long oldest = idx.oldest();
            SampledFrame gone = frames.get(oldest);
            if (gone != null) {
                idx.bytes -= sizeOf(gone);
            }
            frames.remove(oldest);
            idx.removeOldest();
            evicted.inc();
        }
    }

    @Override
    public void processElement2(IngestStatus status, Context ctx, Collector<IngestStatus> out) throws Exception {
        MemoryIndex idx = index.value();
        status.memoryFrames = idx == null ? 0 : idx.size();
        status.memoryBytes = idx == null ? 0 : idx.bytes;
        out.collect(status);
    }

    /** Bytes a stored frame costs: the JPEG plus the fixed fields. */
    static long sizeOf(SampledFrame f) {
        return (f.jpeg == null ? 0 : f.jpeg.length) + 64L + (f.streamId == null ? 0 : f.streamId.length());
    }
}

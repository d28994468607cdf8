package io.streamvl.ingest.source;

import io.streamvl.ingest.DecoderOptions;
import io.streamvl.ingest.ModelInputSpec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.core.io.InputStatus;

/**
 * Decodes in the task thread, inside {@link #pollNext}, at most one sampled frame (or a bounded
 * run of unsampled frames) per call. Flink takes checkpoints between pollNext calls, so the
 * position stored with each checkpoint is exactly "everything up to this frame was emitted" and
 * a restore neither loses nor repeats a frame. The alternative, a fetcher thread with a hand-over
 * queue (flink-connector-base's SplitReader), would need the queue's content in the checkpoint
 * too, and buys nothing here: decoding is CPU work, and the only blocking is network I/O, which
 * the decoder bounds with {@link DecoderOptions#ioTimeoutMicros()}.
 */
final class VideoFileReader implements SourceReader<VideoFileRecord, VideoSplit> {
    /** Bounds one pollNext call (about 2 s of 30 fps video) when sampling is sparse. */
    static final int MAX_FRAMES_PER_POLL = 64;

    private final SourceReaderContext context;
    private final DecoderOptions decoderOptions;
    private final ModelInputSpec spec;
    private final double samplingFps;
    private final SourceCounters counters;
    private final ArrayDeque<VideoSplit> queued = new ArrayDeque<>();
    private VideoSplitCursor current;
    private boolean splitRequested;
    private boolean noMoreSplits;
    private CompletableFuture<Void> available = CompletableFuture.completedFuture(null);

    VideoFileReader(SourceReaderContext context, DecoderOptions decoderOptions, ModelInputSpec spec,
            double samplingFps) {
        this.context = context;
        this.decoderOptions = decoderOptions;
        this.spec = spec;
        this.samplingFps = samplingFps;
        this.counters = SourceCounters.register(context.metricGroup());
    }

    @Override
    public void start() {
        if (queued.isEmpty()) {
            requestSplit();
        }
    }

    @Override
    public InputStatus pollNext(ReaderOutput<VideoFileRecord> output) {
        if (current == null) {
            VideoSplit next = queued.poll();
            if (next == null) {
                if (noMoreSplits) {
                    return InputStatus.END_OF_INPUT;
                }
                requestSplit();
                if (available.isDone()) {
                    available = new CompletableFuture<>();
                }
                return InputStatus.NOTHING_AVAILABLE;
            }
            current = new VideoSplitCursor(next, decoderOptions, spec, samplingFps, counters);
        }
        VideoFileRecord r = current.step(MAX_FRAMES_PER_POLL);
        if (r != null) {
            output.collect(r, r.frame != null ? r.frame.eventTimeMillis : current.eventTimeMillis());
        }
        if (current.done()) {
            current.close();
            current = null;
            if (queued.isEmpty() && !noMoreSplits) {
                requestSplit();
            }
        }
        return InputStatus.MORE_AVAILABLE;
    }

    @Override
    public List<VideoSplit> snapshotState(long checkpointId) {
        List<VideoSplit> out = new ArrayList<>(queued.size() + 1);
        if (current != null) {
            out.add(current.snapshot());
        }
        out.addAll(queued);
        return out;
    }

    @Override
    public CompletableFuture<Void> isAvailable() {
        return available;
    }

    @Override
    public void addSplits(List<VideoSplit> splits) {
        queued.addAll(splits);
        splitRequested = false;
        available.complete(null);
    }

    @Override
    public void notifyNoMoreSplits() {
        noMoreSplits = true;
        splitRequested = false;
        available.complete(null);
    }

    @Override
    public void close() {
        if (current != null) {
            current.close();
            current = null;
        }
    }

    private void requestSplit() {
        if (!splitRequested) {
            splitRequested = true;
            context.sendSplitRequest();
        }
    }
}

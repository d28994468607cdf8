package io.streamvl.ingest.source;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;

/**
 * Hands out one video per request, in the given order. Assigning lazily, rather than all videos
 * up front, balances long and short videos across readers.
 */
final class VideoSplitEnumerator implements SplitEnumerator<VideoSplit, VideoEnumeratorState> {
    private final SplitEnumeratorContext<VideoSplit> context;
    private final ArrayDeque<VideoSplit> unassigned;

    VideoSplitEnumerator(SplitEnumeratorContext<VideoSplit> context, Collection<VideoSplit> unassigned) {
        this.context = context;
        this.unassigned = new ArrayDeque<>(unassigned);
    }

    @Override
    public void start() {}

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {
        VideoSplit next = unassigned.poll();
        if (next == null) {
            context.signalNoMoreSplits(subtaskId);
        } else {
            context.assignSplit(next, subtaskId);
        }
    }

    /** Splits of a failed reader come back with the positions of its last checkpoint; they go first. */
    @Override
    public void addSplitsBack(List<VideoSplit> splits, int subtaskId) {
        List<VideoSplit> back = new ArrayList<>(splits);
        for (int i = back.size() - 1; i >= 0; i--) {
            unassigned.addFirst(back.get(i));
        }
    }

    @Override
    public void addReader(int subtaskId) {}

    @Override
    public VideoEnumeratorState snapshotState(long checkpointId) {
        return new VideoEnumeratorState(new ArrayList<>(unassigned));
    }

    @Override
    public void close() {}
}

package io.streamvl.ingest.source;

import java.util.List;

/**
 * The enumerator's checkpoint: videos not yet handed to any reader. Assigned videos are in the
 * readers' checkpoints, with their positions.
 */
public record VideoEnumeratorState(List<VideoSplit> unassigned) {
    public VideoEnumeratorState {
        unassigned = List.copyOf(unassigned);
    }
}

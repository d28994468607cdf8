package io.streamvl.ingest.source;

import java.util.Objects;
import org.apache.flink.api.connector.source.SourceSplit;

/** One video, and how far it has been read; immutable, a reader snapshots a new one per checkpoint. */
public final class VideoSplit implements SourceSplit {
    private final String splitId;
    private final VideoFile video;
    private final VideoPosition position;

    public VideoSplit(String splitId, VideoFile video, VideoPosition position) {
        this.splitId = Objects.requireNonNull(splitId, "splitId");
        this.video = Objects.requireNonNull(video, "video");
        this.position = Objects.requireNonNull(position, "position");
    }

    @Override
    public String splitId() {
        return splitId;
    }

    public VideoFile video() {
        return video;
    }

    public VideoPosition position() {
        return position;
    }

    public VideoSplit withPosition(VideoPosition p) {
        return new VideoSplit(splitId, video, p);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VideoSplit s && splitId.equals(s.splitId) && video.equals(s.video)
                && position.equals(s.position);
    }

    @Override
    public int hashCode() {
        return Objects.hash(splitId, video, position);
    }

    @Override
    public String toString() {
        return "VideoSplit{" + splitId + " " + video.videoId() + " " + position + "}";
    }
}

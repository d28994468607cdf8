package io.streamvl.ingest.source;

import io.streamvl.ingest.DecoderOptions;
import io.streamvl.ingest.FrameSampler;
import io.streamvl.ingest.ModelInputSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Bounded source over a fixed list of video files or URLs, one split per video. Each video is
 * decoded, sampled at {@code samplingFps} (see {@link FrameSampler}) and emitted as
 * {@link VideoFileRecord}s: its sampled frames as JPEGs at the model's input size, then an END
 * record, or an ERROR record when the video cannot be read, which never fails the job. Positions
 * are checkpointed per frame, so a job restored from a checkpoint or savepoint continues each
 * video exactly where it stopped.
 */
public final class VideoFileSource implements Source<VideoFileRecord, VideoSplit, VideoEnumeratorState> {
    private static final long serialVersionUID = 1L;

    private final List<VideoFile> videos;
    private final DecoderOptions decoderOptions;
    private final ModelInputSpec spec;
    private final double samplingFps;

    public VideoFileSource(List<VideoFile> videos, DecoderOptions decoderOptions, ModelInputSpec spec,
            double samplingFps) {
        this.videos = List.copyOf(videos);
        this.decoderOptions = Objects.requireNonNull(decoderOptions, "decoderOptions");
        this.spec = Objects.requireNonNull(spec, "spec");
        // validates the rate here, on the client, rather than in every reader
        this.samplingFps = new FrameSampler(samplingFps).framesPerSecond();
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.BOUNDED;
    }

    @Override
    public SourceReader<VideoFileRecord, VideoSplit> createReader(SourceReaderContext context) {
        return new VideoFileReader(context, decoderOptions, spec, samplingFps);
    }

    @Override
    public SplitEnumerator<VideoSplit, VideoEnumeratorState> createEnumerator(
            SplitEnumeratorContext<VideoSplit> context) {
        List<VideoSplit> splits = new ArrayList<>(videos.size());
        for (int i = 0; i < videos.size(); i++) {
            // the index keeps split ids unique when the same video id is listed twice
            splits.add(new VideoSplit(i + ":" + videos.get(i).videoId(), videos.get(i), VideoPosition.START));
        }
        return new VideoSplitEnumerator(context, splits);
    }

    @Override
    public SplitEnumerator<VideoSplit, VideoEnumeratorState> restoreEnumerator(
            SplitEnumeratorContext<VideoSplit> context, VideoEnumeratorState checkpoint) {
        return new VideoSplitEnumerator(context, checkpoint.unassigned());
    }

    @Override
    public SimpleVersionedSerializer<VideoSplit> getSplitSerializer() {
        return VideoSplitSerializer.INSTANCE;
    }

    @Override
    public SimpleVersionedSerializer<VideoEnumeratorState> getEnumeratorCheckpointSerializer() {
        return VideoEnumeratorStateSerializer.INSTANCE;
    }
}

package io.streamvl.jobs.demo;

import io.streamvl.ingest.segment.EncodedSegment;
import io.streamvl.ingest.segment.SegmentContainer;
import io.streamvl.ingest.segment.Segmenter;
import io.streamvl.kafka.SegmentPublisher;
import io.streamvl.shapes.Scene;
import io.streamvl.shapes.ShapesVideo;
import io.streamvl.shapes.ShapesVideoWriter;
import io.streamvl.shapes.ShapesWorld;
import io.streamvl.shapes.train.ShapesFrames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A live camera showing the shapes world, one clip after another. Clip {@code i} is the first
 * {@value #CLIP_SECONDS} s of shapes-world video {@code i} of the seed: what the demo model was trained on (the
 * first {@link ShapesFrames#FRAMES} frames at 1 fps), so it shows one scene throughout and the scene's caption and
 * questions hold for it. Clip {@code i} covers event time {@code [t0 + i·clip, t0 + (i+1)·clip)}: with a caption
 * window of one clip and {@code t0} a multiple of it, each window shows exactly one clip. Clips are H.264, cut into
 * 2 s MPEG-TS segments, as {@code streamvl produce} publishes a camera.
 */
public final class ShapesCamera {
    public static final int CLIP_SECONDS = ShapesFrames.FRAMES;
    public static final long CLIP_MILLIS = CLIP_SECONDS * 1000L;
    static final double SEGMENT_SECONDS = 2.0;

    private final Path dir;
    private final long seed;
    private final String streamId;
    private final long t0;

    /** One clip of the camera: its scene (with the caption and questions that hold for it) and its segments. */
    public record Clip(int index, ShapesVideo video, long startMillis, List<EncodedSegment> segments) {
        public long endMillis() {
            return startMillis + CLIP_MILLIS;
        }
    }

    /**
     * @param dir where clips are rendered
     * @param t0 event time of the first clip's first frame, epoch ms; a multiple of the caption window
     */
    public ShapesCamera(Path dir, long seed, String streamId, long t0) {
        this.dir = dir;
        this.seed = seed;
        this.streamId = streamId;
        this.t0 = t0;
    }

    /** Renders and segments clip {@code index}. */
    public Clip clip(int index) throws IOException, InterruptedException {
        ShapesVideo video = ShapesWorld.video(seed, index);
        Scene scene = video.scene();
        // the scene's first seconds: objects keep the speeds of the whole video, so nothing leaves the frame
        Scene cut = new Scene(scene.background(), CLIP_SECONDS, scene.fps(), scene.objects());
        Files.createDirectories(dir);
        Path file = dir.resolve(streamId + "-" + video.name());
        ShapesVideoWriter.write(cut, file);
        List<EncodedSegment> segments = new Segmenter(SEGMENT_SECONDS, SegmentContainer.MPEGTS).segmentAll(file.toString());
        Files.delete(file);
        return new Clip(index, video, t0 + index * CLIP_MILLIS, segments);
    }

    /** Publishes the whole clip; returns the sequence number of the segment after it. */
    public long publish(SegmentPublisher publisher, Clip clip, long sequence, boolean realtime)
            throws InterruptedException {
        return publish(publisher, clip, 0, clip.segments().size(), sequence, realtime);
    }

    /**
     * Publishes segments {@code from} (inclusive) to {@code to} (exclusive) of the clip, numbered from
     * {@code sequence}; with {@code realtime}, each once its end has passed on the wall clock, as a camera would.
     *
     * @return the sequence number of the next segment
     */
    public long publish(SegmentPublisher publisher, Clip clip, int from, int to, long sequence, boolean realtime)
            throws InterruptedException {
        long next = sequence;
        for (EncodedSegment s : clip.segments().subList(from, to)) {
            long start = clip.startMillis() + s.startPtsMicros() / 1000;
            if (realtime) {
                long wait = clip.startMillis() + s.endPtsMicros() / 1000 - System.currentTimeMillis();
                if (wait > 0) {
                    Thread.sleep(wait);
                }
            }
            publisher.publish(streamId, next++, start, s.container(), s.data());
        }
        return next;
    }
}

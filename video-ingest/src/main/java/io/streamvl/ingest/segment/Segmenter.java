package io.streamvl.ingest.segment;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FrameGrabber;
import org.bytedeco.javacv.FrameRecorder;

/**
 * Cuts a video file or URL into self-contained segments of about {@code segmentSeconds}, each
 * starting with a keyframe so it decodes on its own. Video only: audio and other streams are
 * dropped.
 *
 * <p>Inputs whose codec the container can carry (H.264, HEVC, MPEG-2, MPEG-4 Part 2) are remuxed
 * packet by packet without re-encoding, cut at the first keyframe at or after each boundary; their
 * segments are therefore never shorter than the input's keyframe interval. Anything else is decoded
 * and re-encoded to H.264 with a keyframe at every segment start.
 *
 * <p>Timestamps inside a segment are shifted so that its first packet has decode time 0 (remux) or
 * its first frame has presentation time 0 (transcode); the muxer may add its own constant offset
 * (MPEG-TS does). The segment's place in the input is {@link EncodedSegment#startPtsMicros()}.
 */
public final class Segmenter {
    public static final double DEFAULT_SEGMENT_SECONDS = 2.0;
    // Codecs whose decoder configuration travels in-band (or which the muxers convert to in-band,
    // as H.264/HEVC Annex B). MPEG-4 Part 2 is not among them: from MP4 its VOL header lives only in
    // the container's extradata, so remuxed segments would be undecodable on their own.
    static final Set<Integer> REMUXABLE_CODECS = Set.of(avcodec.AV_CODEC_ID_H264, avcodec.AV_CODEC_ID_HEVC,
            avcodec.AV_CODEC_ID_MPEG2VIDEO);

    /** Receives segments in order as they are cut; may block, e.g. to pace a live stream. */
    @FunctionalInterface
    public interface SegmentSink {
        void accept(EncodedSegment segment) throws InterruptedException;
    }

    private final long segmentMicros;
    private final SegmentContainer container;
    private final boolean alwaysTranscode;

    public Segmenter(double segmentSeconds, SegmentContainer container) {
        this(segmentSeconds, container, false);
    }

    /** With {@code alwaysTranscode} even remuxable inputs are re-encoded, for exact segment lengths. */
    public Segmenter(double segmentSeconds, SegmentContainer container, boolean alwaysTranscode) {
        if (!(segmentSeconds > 0)) {
            throw new IllegalArgumentException("segment length must be positive, got " + segmentSeconds + " s");
        }
        this.segmentMicros = Math.round(segmentSeconds * 1_000_000);
        this.container = container;
        this.alwaysTranscode = alwaysTranscode;
    }

    /**
     * Segments the whole input into {@code sink}. The input is opened before any segment is
     * emitted, so a missing or unreadable input fails here without side effects.
     *
     * @return the input's duration as segmented: the end time of the last segment, in microseconds
     * @throws IOException when the input cannot be opened, has no video, or breaks while reading
     */
    public long segment(String input, SegmentSink sink) throws IOException, InterruptedException {
        try (FFmpegFrameGrabber grabber = open(input)) {
            boolean remux = !alwaysTranscode && REMUXABLE_CODECS.contains(grabber.getVideoCodec());
            SegmentCutter cutter = remux
                    ? new RemuxCutter(grabber, segmentMicros, container)
                    : new TranscodeCutter(grabber, segmentMicros, container);
            return cutter.run(sink);
        } catch (FrameGrabber.Exception | FrameRecorder.Exception e) {
            throw new IOException("segmenting " + input + " failed: " + e.getMessage(), e);
        }
    }

    public List<EncodedSegment> segmentAll(String input) throws IOException, InterruptedException {
        List<EncodedSegment> segments = new ArrayList<>();
        segment(input, segments::add);
        return segments;
    }

    static FFmpegFrameGrabber open(String input) throws IOException {
        if (input == null || input.isBlank()) {
            throw new IllegalArgumentException("no input video given");
        }
        boolean url = input.contains("://");
        if (!url) {
            Path path = Path.of(input);
            if (!Files.isRegularFile(path)) {
                throw new FileNotFoundException("input video not found: " + path.toAbsolutePath());
            }
            if (!Files.isReadable(path)) {
                throw new IOException("input video is not readable: " + path.toAbsolutePath());
            }
        }
        FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(input);
        if (url) {
            // A stalled server must not hang the producer forever (microseconds).
            grabber.setOption("rw_timeout", "15000000");
        }
        try {
            grabber.start();
        } catch (FrameGrabber.Exception e) {
            closeQuietly(grabber);
            throw new IOException("cannot open input video " + input + ": " + e.getMessage(), e);
        }
        if (grabber.getVideoCodec() == avcodec.AV_CODEC_ID_NONE || grabber.getImageWidth() <= 0) {
            closeQuietly(grabber);
            throw new IOException("input " + input + " has no video stream");
        }
        return grabber;
    }

    private static void closeQuietly(FFmpegFrameGrabber grabber) {
        try {
            grabber.close();
        } catch (FrameGrabber.Exception ignored) {
            // The open failure being reported matters more than a failed cleanup.
        }
    }

    static void checkInterrupted() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException("segmenting interrupted");
        }
    }
}

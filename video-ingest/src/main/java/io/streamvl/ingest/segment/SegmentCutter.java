package io.streamvl.ingest.segment;

import java.io.IOException;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FrameGrabber;
import org.bytedeco.javacv.FrameRecorder;

/** One way of turning an opened input into segments; owns the segment-boundary arithmetic. */
abstract class SegmentCutter {
    /** Frame times computed from rational time bases can land a hair before the boundary. */
    private static final long BOUNDARY_TOLERANCE_MICROS = 1_000;
    private static final double FALLBACK_FPS = 25;

    final FFmpegFrameGrabber grabber;
    final long segmentMicros;
    final SegmentContainer container;

    SegmentCutter(FFmpegFrameGrabber grabber, long segmentMicros, SegmentContainer container) {
        this.grabber = grabber;
        this.segmentMicros = segmentMicros;
        this.container = container;
    }

    /** @return the input's duration as segmented (end of the last segment), microseconds */
    abstract long run(Segmenter.SegmentSink sink) throws IOException, InterruptedException,
            FrameGrabber.Exception, FrameRecorder.Exception;

    /** The frame rate the container declares, or a plausible one when it declares nonsense. */
    double frameRate() {
        double fps = grabber.getFrameRate();
        return fps > 0 && fps < 1000 ? fps : FALLBACK_FPS;
    }

    /** The first boundary strictly after a segment that starts at {@code startMicros}. */
    long nextBoundary(long startMicros) {
        return (startMicros / segmentMicros + 1) * segmentMicros;
    }

    static boolean reached(long micros, long boundary) {
        return micros + BOUNDARY_TOLERANCE_MICROS >= boundary;
    }
}

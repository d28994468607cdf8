package io.streamvl.ingest.segment;

import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.bytedeco.javacv.FrameRecorder;

/**
 * Decodes the input and re-encodes it to H.264, one encoder per segment, so every segment starts
 * with a keyframe whatever the input's GOP. The LGPL FFmpeg build encodes H.264 with libopenh264.
 */
final class TranscodeCutter extends SegmentCutter {
    /** Bits per pixel per frame: enough for a captioning model to see detail, far below raw. */
    private static final double BITS_PER_PIXEL = 0.15;

    TranscodeCutter(FFmpegFrameGrabber grabber, long segmentMicros, SegmentContainer container) {
        super(grabber, segmentMicros, container);
    }

    @Override
    long run(Segmenter.SegmentSink sink)
            throws InterruptedException, FrameGrabber.Exception, FrameRecorder.Exception {
        double fps = frameRate();
        long frameMicros = Math.round(1_000_000 / fps);
        long origin = Long.MIN_VALUE;
        long nextBoundary = 0;
        long sequence = 0;
        long end = 0;
        Open open = null;
        try {
            Frame frame;
            while ((frame = grabber.grabImage()) != null) {
                Segmenter.checkInterrupted();
                if (origin == Long.MIN_VALUE) {
                    origin = frame.timestamp;
                }
                long t = frame.timestamp - origin;
                if (open != null && reached(t, nextBoundary)) {
                    sink.accept(open.finish(sequence++, t));
                    open = null;
                }
                if (open == null) {
                    open = new Open(t, fps, frame.imageWidth, frame.imageHeight);
                    nextBoundary = nextBoundary(t);
                }
                open.write(frame);
                end = Math.max(end, t + frameMicros);
            }
            if (open == null) {
                return 0;
            }
            sink.accept(open.finish(sequence, end));
            open = null;
            return end;
        } finally {
            if (open != null) {
                open.writer.abandon();
            }
        }
    }

    private final class Open {
        final SegmentWriter writer;
        final long startMicros;
        int frames;

        Open(long startMicros, double fps, int width, int height) throws FrameRecorder.Exception {
            this.startMicros = startMicros;
            this.writer = new SegmentWriter(width, height, container);
            FFmpegFrameRecorder r = writer.recorder;
            r.setVideoCodec(avcodec.AV_CODEC_ID_H264);
            r.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            r.setFrameRate(fps);
            // A fresh encoder per segment starts with a keyframe; no other keyframe is wanted.
            r.setGopSize((int) Math.ceil(segmentMicros / 1e6 * fps));
            r.setVideoBitrate((int) Math.max(200_000, BITS_PER_PIXEL * width * height * fps));
            r.start();
        }

        void write(Frame frame) throws FrameRecorder.Exception {
            writer.recorder.record(frame);
            frames++;
        }

        EncodedSegment finish(long sequence, long nextStartMicros) throws FrameRecorder.Exception {
            return new EncodedSegment(sequence, startMicros, nextStartMicros - startMicros, frames,
                    container.formatName(), writer.finish());
        }
    }
}

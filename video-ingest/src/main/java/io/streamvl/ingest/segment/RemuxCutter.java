package io.streamvl.ingest.segment;

import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;

import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FrameGrabber;
import org.bytedeco.javacv.FrameRecorder;

/** Copies the input's video packets into segments, cutting at keyframes. */
final class RemuxCutter extends SegmentCutter {

    RemuxCutter(FFmpegFrameGrabber grabber, long segmentMicros, SegmentContainer container) {
        super(grabber, segmentMicros, container);
    }

    @Override
    long run(Segmenter.SegmentSink sink)
            throws InterruptedException, FrameGrabber.Exception, FrameRecorder.Exception {
        AVFormatContext input = grabber.getFormatContext();
        int videoIndex = firstVideoStream(input);
        AVRational timeBase = input.streams(videoIndex).time_base();
        // The recorder copies the input's codec tag, which is container-specific (an MPEG-TS
        // stream type is not an MP4 fourcc); zero lets the output muxer choose its own.
        input.streams(videoIndex).codecpar().codec_tag(0);
        long frameMicros = Math.round(1_000_000 / frameRate());
        long originPts = AV_NOPTS_VALUE;
        long nextBoundary = 0;
        long sequence = 0;
        Open open = null;
        try {
            AVPacket packet;
            while ((packet = grabber.grabPacket()) != null) {
                Segmenter.checkInterrupted();
                long pts = packet.pts() != AV_NOPTS_VALUE ? packet.pts() : packet.dts();
                boolean key = (packet.flags() & avcodec.AV_PKT_FLAG_KEY) != 0;
                // Packets before the first keyframe cannot be decoded on their own: skip them.
                if (packet.stream_index() != videoIndex || pts == AV_NOPTS_VALUE || (open == null && !key)) {
                    avcodec.av_packet_unref(packet);
                    continue;
                }
                if (originPts == AV_NOPTS_VALUE) {
                    originPts = pts;
                }
                long ptsMicros = avutil.av_rescale_q(pts - originPts, timeBase, avutil.av_make_q(1, 1_000_000));
                if (open != null && key && reached(ptsMicros, nextBoundary)) {
                    sink.accept(open.finish(sequence++, ptsMicros));
                    open = null;
                }
                if (open == null) {
                    open = new Open(input, ptsMicros, packet.dts() != AV_NOPTS_VALUE ? packet.dts() : pts);
                    nextBoundary = nextBoundary(ptsMicros);
                }
                long durationMicros = packet.duration() > 0
                        ? avutil.av_rescale_q(packet.duration(), timeBase, avutil.av_make_q(1, 1_000_000))
                        : frameMicros;
                open.write(packet, ptsMicros + durationMicros);
            }
            if (open == null) {
                return 0;
            }
            long end = open.endMicros;
            sink.accept(open.finish(sequence, end));
            open = null;
            return end;
        } finally {
            if (open != null) {
                open.writer.abandon();
            }
        }
    }

    private static int firstVideoStream(AVFormatContext input) {
        for (int i = 0; i < input.nb_streams(); i++) {
            if (input.streams(i).codecpar().codec_type() == avutil.AVMEDIA_TYPE_VIDEO) {
                return i;
            }
        }
        throw new IllegalStateException("no video stream");
    }

    /** The segment being written. */
    private final class Open {
        final SegmentWriter writer;
        final long startMicros;
        final long dtsOffset;
        long endMicros;
        int frames;

        Open(AVFormatContext input, long startMicros, long dtsOffset) throws FrameRecorder.Exception {
            this.writer = new SegmentWriter(grabber.getImageWidth(), grabber.getImageHeight(), container);
            this.startMicros = startMicros;
            this.dtsOffset = dtsOffset;
            writer.recorder.start(input);
        }

        void write(AVPacket packet, long packetEndMicros) throws FrameRecorder.Exception {
            packet.pts(packet.pts() == AV_NOPTS_VALUE ? AV_NOPTS_VALUE : packet.pts() - dtsOffset);
            packet.dts(packet.dts() == AV_NOPTS_VALUE ? AV_NOPTS_VALUE : packet.dts() - dtsOffset);
            writer.recorder.recordPacket(packet);
            endMicros = Math.max(endMicros, packetEndMicros);
            frames++;
        }

        EncodedSegment finish(long sequence, long nextStartMicros) throws FrameRecorder.Exception {
            byte[] data = writer.finish();
            return new EncodedSegment(sequence, startMicros, nextStartMicros - startMicros, frames,
                    container.formatName(), data);
        }
    }
}

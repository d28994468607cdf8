package io.streamvl.operators.testing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;

/**
 * Encodes small self-contained MPEG-TS segments in memory (a bright block sliding over a dark
 * background, so consecutive frames differ), standing in for what a camera publishes.
 */
public final class SyntheticSegments {
    private SyntheticSegments() {}

    /** {@code frames} frames at {@code fps}, 160x120, MPEG-4 Part 2 in MPEG-TS, keyframe first. */
    public static byte[] mpegts(int frames, int fps, int seed) throws Exception {
        int w = 160;
        int h = 120;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(bytes, w, h, 0);
                Frame frame = new Frame(w, h, Frame.DEPTH_UBYTE, 3)) {
            rec.setFormat("mpegts");
            rec.setVideoCodec(avcodec.AV_CODEC_ID_MPEG4);
            rec.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            rec.setFrameRate(fps);
            rec.setGopSize(fps);
            rec.setVideoQuality(4);
            rec.start();
            for (int i = 0; i < frames; i++) {
                paint(frame, w, h, (seed * 7 + i * 5) % (w - 20));
                rec.record(frame, avutil.AV_PIX_FMT_BGR24);
            }
            rec.stop();
        }
        return bytes.toByteArray();
    }

    private static void paint(Frame frame, int w, int h, int blockX) {
        ByteBuffer buf = (ByteBuffer) frame.image[0];
        int stride = frame.imageStride;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                boolean block = x >= blockX && x < blockX + 20 && y >= 40 && y < 60;
                int at = y * stride + x * 3;
                buf.put(at, (byte) (block ? 40 : 20));
                buf.put(at + 1, (byte) (block ? 200 : 20));
                buf.put(at + 2, (byte) (block ? 230 : 30));
            }
        }
    }
}

package io.streamvl.shapes;

import static io.streamvl.shapes.ShapesWorld.HEIGHT;
import static io.streamvl.shapes.ShapesWorld.WIDTH;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;

/**
 * Writes a scene as H.264 (libopenh264 in the LGPL FFmpeg build) in MP4: yuv420p, the scene's
 * frame rate, a keyframe every second. The recorder and the one reused frame are native objects,
 * both closed before {@link #write} returns, also on failure.
 *
 * <p>Seemingly because OpenH264 judges blocks by brightness, where an object and the background differ
 * little in luma (blue on black, green on gray, yellow on white) a moving object can leave a
 * faint colour trail that lasts until the next keyframe. It is rare (about 4 in 100,000 pixels
 * inside flat areas end up more than 30 levels off), and none of the encoder settings tried (rate
 * control mode, QP bounds, bitrate) removed it; keyframes themselves are faithful.
 */
public final class ShapesVideoWriter {
    /** A ceiling rather than a target: flat shapes need about 30 kbit/s, so quality is never starved. */
    static final int BITRATE = 500_000;

    static {
        // as VideoDecoder does: the recorder would print the stream layout of every file, and
        // failures surface as exceptions anyway
        avutil.av_log_set_level(avutil.AV_LOG_FATAL);
    }

    private ShapesVideoWriter() {}

    public static void write(Scene scene, Path file) throws IOException {
        SceneRenderer renderer = new SceneRenderer();
        try (FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(file.toFile(), WIDTH, HEIGHT, 0);
                Frame frame = new Frame(WIDTH, HEIGHT, Frame.DEPTH_UBYTE, 3)) {
            recorder.setFormat("mp4");
            recorder.setVideoCodec(avcodec.AV_CODEC_ID_H264);
            recorder.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            recorder.setFrameRate(scene.fps());
            recorder.setGopSize(scene.fps());
            recorder.setVideoBitrate(BITRATE);
            recorder.start();
            ByteBuffer pixels = (ByteBuffer) frame.image[0];
            int row = WIDTH * 3;
            for (int k = 0; k < scene.frameCount(); k++) {
                byte[] bgr = renderer.renderBgr(scene, k);
                for (int y = 0; y < HEIGHT; y++) {
                    pixels.position(y * frame.imageStride).put(bgr, y * row, row);
                }
                pixels.rewind();
                recorder.record(frame, avutil.AV_PIX_FMT_BGR24);
            }
            recorder.stop();
        }
    }
}

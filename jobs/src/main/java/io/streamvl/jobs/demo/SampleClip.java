package io.streamvl.jobs.demo;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.Java2DFrameConverter;

/**
 * The demo's camera when the user gives none: a red square moving right and a blue circle moving
 * down over a gray background (320x240, 10 fps, H.264 in MP4, a keyframe every 2 s), written by FFmpeg.
 */
public final class SampleClip {
    public static final int WIDTH = 320;
    public static final int HEIGHT = 240;
    public static final int FPS = 10;

    private SampleClip() {}

    public static Path write(Path file, int seconds) throws Exception {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_3BYTE_BGR);
        try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(file.toFile(), WIDTH, HEIGHT, 0);
                Java2DFrameConverter converter = new Java2DFrameConverter()) {
            rec.setFormat("mp4");
            rec.setVideoCodec(avcodec.AV_CODEC_ID_H264);
            rec.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            rec.setFrameRate(FPS);
            rec.setGopSize(2 * FPS);
            rec.setVideoBitrate(400_000);
            rec.start();
            int frames = seconds * FPS;
            for (int i = 0; i < frames; i++) {
                draw(image, (double) i / frames);
                Frame frame = converter.convert(image);
                rec.record(frame, avutil.AV_PIX_FMT_BGR24);
            }
            rec.stop();
        }
        return file;
    }

    private static void draw(BufferedImage image, double progress) {
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(new Color(128, 128, 128));
            g.fillRect(0, 0, WIDTH, HEIGHT);
            g.setColor(new Color(230, 30, 30));
            g.fillRect((int) (10 + progress * (WIDTH - 60)), 40, 40, 40);
            g.setColor(new Color(30, 60, 230));
            g.fillOval(200, (int) (10 + progress * (HEIGHT - 60)), 44, 44);
        } finally {
            g.dispose();
        }
    }
}

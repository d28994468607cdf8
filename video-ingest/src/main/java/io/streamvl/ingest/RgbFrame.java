package io.streamvl.ingest;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;

import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.BytePointer;

/**
 * A frame built from packed RGB24 pixels rather than decoded, e.g. synthetic scenes or images;
 * it goes through {@link ModelInputConverter} exactly like a decoded frame. Owns native memory.
 */
public final class RgbFrame implements NativeFrame, AutoCloseable {
    private final AVFrame avFrame;
    private final long ptsMicros;

    private RgbFrame(AVFrame avFrame, long ptsMicros) {
        this.avFrame = avFrame;
        this.ptsMicros = ptsMicros;
    }

    /** Copies {@code rgb} (row-major, width*height*3 bytes, R G B order) into a new native frame. */
    public static RgbFrame of(int width, int height, long ptsMicros, byte[] rgb) {
        if (width <= 0 || height <= 0 || rgb.length != width * height * 3) {
            throw new IllegalArgumentException("expected " + width + "x" + height + "x3 bytes, got " + rgb.length);
        }
        AVFrame f = av_frame_alloc();
        f.format(AV_PIX_FMT_RGB24);
        f.width(width);
        f.height(height);
        if (av_frame_get_buffer(f, 0) < 0) {
            av_frame_free(f);
            throw new OutOfMemoryError("cannot allocate a " + width + "x" + height + " frame");
        }
        BytePointer plane = f.data(0);
        int stride = f.linesize(0);
        for (int y = 0; y < height; y++) {
            plane.position((long) y * stride).put(rgb, y * width * 3, width * 3);
        }
        return new RgbFrame(f, ptsMicros);
    }

    @Override
    public long ptsMicros() {
        return ptsMicros;
    }

    @Override
    public AVFrame avFrame() {
        return avFrame;
    }

    @Override
    public void close() {
        if (!avFrame.isNull()) {
            av_frame_free(avFrame);
        }
    }
}

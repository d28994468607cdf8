package io.streamvl.ingest;

import org.bytedeco.ffmpeg.avutil.AVFrame;

/**
 * A reusable view of an AVFrame owned elsewhere, with the presentation time streamvl assigns it;
 * valid until its owner decodes the next frame.
 */
final class FrameView implements NativeFrame {
    AVFrame avFrame;
    long pts;

    FrameView(AVFrame avFrame) {
        this.avFrame = avFrame;
    }

    @Override
    public long ptsMicros() {
        return pts;
    }

    @Override
    public AVFrame avFrame() {
        return avFrame;
    }
}

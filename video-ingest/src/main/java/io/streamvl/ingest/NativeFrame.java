package io.streamvl.ingest;

import org.bytedeco.ffmpeg.avutil.AVFrame;

/** A decoded frame backed by an FFmpeg AVFrame, which the converter scales directly. */
interface NativeFrame extends DecodedFrame {
    AVFrame avFrame();

    @Override
    default int width() {
        return avFrame().width();
    }

    @Override
    default int height() {
        return avFrame().height();
    }
}

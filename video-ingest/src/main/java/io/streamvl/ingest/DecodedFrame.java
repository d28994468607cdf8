package io.streamvl.ingest;

/**
 * A decoded picture still in the decoder's native pixel format. It is owned by whoever produced
 * it and is valid only until that producer's next call or close; convert what you need first.
 */
public interface DecodedFrame {
    /**
     * Presentation time relative to the start of the input, in microseconds. For
     * {@link VideoDecoder} that is the frame's best-effort timestamp minus the video stream's
     * start time (MPEG-TS segments typically start at 1.4 s or more), so the first frame is at 0.
     */
    long ptsMicros();

    int width();

    int height();
}

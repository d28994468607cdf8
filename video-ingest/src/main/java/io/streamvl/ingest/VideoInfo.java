package io.streamvl.ingest;

import java.io.Serializable;

/**
 * The video stream as the container describes it.
 *
 * @param frameRate average frame rate, or 0 when the container does not say
 * @param durationMicros stream (else container) duration, or -1 when unknown (live input)
 * @param formatName FFmpeg demuxer name, e.g. "mpegts" or "mov,mp4,m4a,3gp,3g2,mj2"
 */
public record VideoInfo(int width, int height, String codecName, double frameRate, long durationMicros,
        String formatName) implements Serializable {}

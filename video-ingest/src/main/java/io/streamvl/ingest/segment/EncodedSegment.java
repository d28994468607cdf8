package io.streamvl.ingest.segment;

/**
 * One self-contained, keyframe-first piece of a video, ready to publish.
 *
 * @param sequence position in the input, from 0
 * @param startPtsMicros presentation time of the first frame, relative to the input's first frame
 * @param durationMicros time until the next segment starts (for the last one: until its last frame ends)
 * @param frames video frames in the segment
 * @param container FFmpeg format name, {@code mpegts} or {@code mp4}
 * @param data the encoded container bytes
 */
public record EncodedSegment(long sequence, long startPtsMicros, long durationMicros, int frames, String container,
        byte[] data) {
    public long endPtsMicros() {
        return startPtsMicros + durationMicros;
    }
}

package io.streamvl.models.tsllava;

/**
 * Which frames of a video (or of a stream window) TS-LLaVA looks at: the reference loader's
 * {@code get_seq_frames}, segment middles over {@code [0, total - 1]}.
 *
 * <p>With {@code seg = (total - 1) / n} in double precision, frame {@code i} is
 * {@code (rint(seg * i) + rint(seg * (i + 1))) / 2} (integer division), where {@code rint} is NumPy's
 * half-to-even rounding. Because the segments span {@code total - 1} frames, not {@code total}, the
 * selection can repeat a frame and skip another even when the video has exactly as many frames as asked
 * for: 50 frames give 0..24, 24 again, 25..48, and never frame 49. That is kept, as in the reference.
 */
public final class FrameIndices {

    private FrameIndices() {
    }

    /**
     * The reference loader's choice for a video of {@code totalFrames}: {@code min(totalFrames, maxFrames)}
     * segment middles, so a short video yields fewer (possibly repeated) frames rather than padding.
     */
    public static int[] select(int totalFrames, int maxFrames) {
        if (maxFrames < 1) {
            throw new IllegalArgumentException("maxFrames must be positive, got " + maxFrames);
        }
        return segmentMiddles(totalFrames, Math.min(totalFrames, maxFrames));
    }

    /** {@code get_seq_frames(totalFrames, count)}. */
    public static int[] segmentMiddles(int totalFrames, int count) {
        if (totalFrames < 1) {
            throw new IllegalArgumentException("a video needs at least one frame, got " + totalFrames);
        }
        if (count < 0) {
            throw new IllegalArgumentException("count must be non-negative, got " + count);
        }
        double segment = (double) (totalFrames - 1) / count;
        int[] indices = new int[count];
        for (int i = 0; i < count; i++) {
            long start = (long) Math.rint(segment * i);
            long end = (long) Math.rint(segment * (i + 1));
            indices[i] = (int) Math.floorDiv(start + end, 2L);
        }
        return indices;
    }
}

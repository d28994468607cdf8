package io.streamvl.models.llavamini;

import io.streamvl.models.ModelFormatException;
import io.streamvl.models.weights.TensorInfo;
import io.streamvl.models.weights.TensorSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A learned vector added to every Z' token of a frame in proportion to the frame's place in the clip, from −½ for the
 * first frame to +½ for the last: streamvl's addition to LLaVA-Mini, not the reference's. In the reference the LLM
 * learns an object's motion only through RoPE, which reaches attention weights but not the values a head reads; a
 * frame's Z' is the same whatever its place, so the LLM has to infer from attention patterns alone which of an
 * object's positions came first. With the frame's place in its tokens, an MLP can form position × time and one head
 * averaging the named object's tokens reads its motion. Relative to the clip, so any number of frames gets it; one
 * frame gets nothing. Bundles without the tensor (the reference's weights) run as LLaVA-Mini does.
 */
public final class FrameTime {
    /** The vector, {@code [hidden]}. */
    public static final String TENSOR = "model.frame_time";
    public static final FrameTime NONE = new FrameTime(null);

    private final float[] vector;

    private FrameTime(float[] vector) {
        this.vector = vector;
    }

    /**
     * The bundle's vector, or {@link #NONE} without one.
     *
     * @throws ModelFormatException when it is not a vector of the LLM's width
     */
    public static FrameTime load(TensorSource weights, int hidden) {
        TensorInfo info = weights.info(TENSOR);
        if (info == null) {
            return NONE;
        }
        if (!Arrays.equals(info.shape(), new long[] {hidden})) {
            throw new ModelFormatException(TENSOR + " has shape " + Arrays.toString(info.shape()) + ", expected ["
                    + hidden + "]");
        }
        return new FrameTime(weights.floats(TENSOR));
    }

    /** The place of frame {@code t} (from 0) of {@code n}: −½ first, +½ last, evenly between; 0 for a lone frame. */
    public static float place(int t, int n) {
        return n == 1 ? 0f : (float) t / (n - 1) - 0.5f;
    }

    /** Every frame's place in a clip of {@code n}. */
    public static float[] places(int n) {
        float[] out = new float[n];
        for (int t = 0; t < n; t++) {
            out[t] = place(t, n);
        }
        return out;
    }

    public boolean present() {
        return vector != null;
    }

    /** The frames' Z' ({@code [C²][D]} each, in temporal order) with their places added, as new rows; as given without a vector. */
    public List<float[][]> apply(List<float[][]> frames) {
        if (vector == null) {
            return frames;
        }
        List<float[][]> out = new ArrayList<>(frames.size());
        for (int t = 0; t < frames.size(); t++) {
            float place = place(t, frames.size());
            float[][] z = frames.get(t);
            float[][] timed = new float[z.length][];
            for (int i = 0; i < z.length; i++) {
                if (z[i].length != vector.length) {
                    throw new IllegalArgumentException("vision token of width " + z[i].length + ", the frame-time "
                            + "vector has " + vector.length);
                }
                timed[i] = new float[vector.length];
                for (int k = 0; k < vector.length; k++) {
                    timed[i][k] = z[i][k] + place * vector[k];
                }
            }
            out.add(timed);
        }
        return out;
    }
}

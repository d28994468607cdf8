package io.streamvl.models.llavamini;

/**
 * The video text input of LLaVA-Mini, {@code mean_t T'_t}, kept as a running sum so frames can be added
 * one at a time as a stream arrives (for a prompt fixed in advance: a caption prompt, a standing
 * question). Sums are double, added in arrival order; {@link VideoFusion} builds its batch mean with this
 * class too, so the incremental and batch results are bit-identical for the same frame order.
 */
public final class RunningTextFusion {
    /** The whole state, for checkpointing: frames added and the {@code [L * D]} row-major sum. */
    public record State(int length, int width, long frames, double[] sum) {
        public State {
            if (sum.length != (long) length * width || frames < 0) {
                throw new IllegalArgumentException("running text-fusion state of " + frames + " frames with "
                        + sum.length + " sums is not " + length + "x" + width);
            }
        }
    }

    private final int length;
    private final int width;
    private final double[] sum;
    private long frames;

    /** For a prompt of {@code length} columns of width D. */
    public RunningTextFusion(int length, int width) {
        this(new State(length, width, 0, new double[length * width]));
    }

    public RunningTextFusion(State state) {
        this.length = state.length();
        this.width = state.width();
        this.sum = state.sum().clone();
        this.frames = state.frames();
    }

    /** Adds one frame's T' ({@code [L][D]}). */
    public void add(float[][] text) {
        if (text.length != length) {
            throw new IllegalArgumentException("fused text of " + text.length + " columns, the prompt has " + length);
        }
        for (int j = 0; j < length; j++) {
            if (text[j].length != width) {
                throw new IllegalArgumentException("fused text of width " + text[j].length + ", expected " + width);
            }
            for (int i = 0; i < width; i++) {
                sum[j * width + i] += text[j][i];
            }
        }
        frames++;
    }

    public long frames() {
        return frames;
    }

    /** {@code [L][D]}: the mean over the frames added so far. */
    public float[][] mean() {
        if (frames == 0) {
            throw new IllegalStateException("no frames added");
        }
        float[][] out = new float[length][width];
        for (int j = 0; j < length; j++) {
            for (int i = 0; i < width; i++) {
                out[j][i] = (float) (sum[j * width + i] / frames);
            }
        }
        return out;
    }

    public State state() {
        return new State(length, width, frames, sum.clone());
    }
}

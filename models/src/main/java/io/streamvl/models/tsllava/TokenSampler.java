package io.streamvl.models.tsllava;

import java.util.Arrays;
import java.util.List;

/**
 * TS-LLaVA's sampled visual tokens: {@code count} tokens taken evenly from all frames' tokens flattened
 * frame-major ({@code frames * tokensPerFrame} of them), at {@link TorchLinspace#roundedIndices} of the
 * last flat index. Token {@code j} is patch {@code j % tokensPerFrame} of frame {@code j / tokensPerFrame};
 * at 50 frames x 576 the 2880 picks are 10 or 11 apart, 57 or 58 per frame, first and last included.
 *
 * <p>Sampling is per token, and so is the projector, so the same positions can be taken from the tower's
 * output before projecting; {@link #patchesOf} tells which rows of one frame are needed, and a
 * {@link Collector} gathers them as frames arrive so that no more than {@code count} rows are ever held.
 */
public final class TokenSampler {

    private final int frames;
    private final int tokensPerFrame;
    private final int[] positions;
    /** {@code firstOfFrame[f]} is the first sample in frame {@code f}; one extra entry closes the last frame. */
    private final int[] firstOfFrame;

    public TokenSampler(int frames, int tokensPerFrame, int count) {
        if (frames < 1 || tokensPerFrame < 1) {
            throw new IllegalArgumentException("frames and tokens per frame must be positive, got " + frames + " and "
                    + tokensPerFrame);
        }
        long available = (long) frames * tokensPerFrame;
        if (count < 0 || count > available) {
            throw new IllegalArgumentException("cannot sample " + count + " tokens from " + frames + " frames of "
                    + tokensPerFrame + " (" + available + " tokens)");
        }
        this.frames = frames;
        this.tokensPerFrame = tokensPerFrame;
        this.positions = TorchLinspace.roundedIndices((int) available - 1, count);
        this.firstOfFrame = new int[frames + 1];
        int sample = 0;
        for (int f = 0; f <= frames; f++) {
            while (sample < count && positions[sample] < (long) f * tokensPerFrame) {
                sample++;
            }
            firstOfFrame[f] = sample;
        }
    }

    public int frames() {
        return frames;
    }

    public int tokensPerFrame() {
        return tokensPerFrame;
    }

    public int count() {
        return positions.length;
    }

    /** Flat token positions, ascending. */
    public int[] positions() {
        return positions.clone();
    }

    /** The patch indices (rows within the frame's tokens) sampled from {@code frame}, ascending. */
    public int[] patchesOf(int frame) {
        checkFrame(frame);
        int[] patches = Arrays.copyOfRange(positions, firstOfFrame[frame], firstOfFrame[frame + 1]);
        for (int i = 0; i < patches.length; i++) {
            patches[i] -= frame * tokensPerFrame;
        }
        return patches;
    }

    /** Samples from every frame's tokens at once; each entry is {@code [tokensPerFrame * dim]}. */
    public float[][] sample(List<float[]> frameTokens, int dim) {
        if (frameTokens.size() != frames) {
            throw new IllegalArgumentException("expected tokens of " + frames + " frames, got " + frameTokens.size());
        }
        Collector collector = collector(dim);
        for (int f = 0; f < frames; f++) {
            collector.accept(f, frameTokens.get(f));
        }
        return collector.tokens();
    }

    public Collector collector(int dim) {
        return new Collector(dim);
    }

    private void checkFrame(int frame) {
        if (frame < 0 || frame >= frames) {
            throw new IndexOutOfBoundsException("frame " + frame + " of " + frames);
        }
    }

    /** Gathers the sampled rows frame by frame, in any order, as a streaming operator receives them. */
    public final class Collector {

        private final int dim;
        private final float[][] rows;
        private final boolean[] seen;
        private int missing;

        private Collector(int dim) {
            if (dim < 1) {
                throw new IllegalArgumentException("token width must be positive, got " + dim);
            }
            this.dim = dim;
            this.rows = new float[positions.length][];
            this.seen = new boolean[frames];
            this.missing = frames;
        }

        /** Takes frame {@code frame}'s sampled rows out of all its tokens, {@code [tokensPerFrame * dim]}. */
        public void accept(int frame, float[] tokens) {
            checkNew(frame);
            if (tokens.length != (long) tokensPerFrame * dim) {
                throw new IllegalArgumentException("frame " + frame + " needs " + tokensPerFrame + " tokens of " + dim
                        + " floats (" + (long) tokensPerFrame * dim + "), got " + tokens.length);
            }
            int base = frame * tokensPerFrame;
            for (int s = firstOfFrame[frame]; s < firstOfFrame[frame + 1]; s++) {
                int from = (positions[s] - base) * dim;
                rows[s] = Arrays.copyOfRange(tokens, from, from + dim);
            }
            markSeen(frame);
        }

        /**
         * Takes frame {@code frame}'s rows when only the {@link #patchesOf sampled patches} were computed,
         * in that order, {@code [patchesOf(frame).length * dim]}.
         */
        public void acceptSampled(int frame, float[] sampledRows) {
            checkNew(frame);
            int first = firstOfFrame[frame];
            int n = firstOfFrame[frame + 1] - first;
            if (sampledRows.length != (long) n * dim) {
                throw new IllegalArgumentException("frame " + frame + " has " + n + " sampled tokens of " + dim
                        + " floats (" + (long) n * dim + "), got " + sampledRows.length);
            }
            for (int i = 0; i < n; i++) {
                rows[first + i] = Arrays.copyOfRange(sampledRows, i * dim, (i + 1) * dim);
            }
            markSeen(frame);
        }

        public boolean complete() {
            return missing == 0;
        }

        /** The sampled tokens {@code [count][dim]}, in flat-position order, once every frame is in. */
        public float[][] tokens() {
            if (!complete()) {
                throw new IllegalStateException(missing + " of " + frames + " frames have not been given yet");
            }
            return rows.clone();
        }

        private void checkNew(int frame) {
            checkFrame(frame);
            if (seen[frame]) {
                throw new IllegalStateException("frame " + frame + " was already given");
            }
        }

        private void markSeen(int frame) {
            seen[frame] = true;
            missing--;
        }
    }
}

package io.streamvl.models.llavamini;

import io.streamvl.models.ModelFormatException;
import io.streamvl.models.llama.DecoderOptions;
import io.streamvl.models.llama.LlamaConfig;
import io.streamvl.models.llama.LlamaDecoderStack;
import io.streamvl.models.weights.TensorSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;

/**
 * LLaVA-Mini's modality pre-fusion: N {@code LlamaDecoderLayer}s with the LLM's shapes and their own
 * weights, run causally over {@code [G (P) | Z (C²) | text (L)]} per frame.
 *
 * <p>Position ids are {@code cumsum(visible) - 1} over the whole sequence with hidden columns set to 1,
 * so G gets {@code 0..P-1}, Z {@code P..P+C²-1} and visible text continues from {@code P+C²}, skipping
 * the placeholder. Because Z sits before the text and attention is causal, Z' never sees the prompt:
 * {@link #compressedTokens} computes it from {@code [G | Z]} alone, once per frame.
 *
 * <p>Frames of one call must share P and C²; {@link DecoderOptions#maxBatch()} frames go through one run.
 * Not thread-safe.
 */
public final class PreFusion implements AutoCloseable {
    public static final String DEFAULT_PREFIX = "model.prefusion_layers.";
    public static final int DEFAULT_LAYERS = 4;

    private final LlamaDecoderStack stack;
    private final int framesPerRun;

    private PreFusion(LlamaDecoderStack stack, int framesPerRun) {
        this.stack = stack;
        this.framesPerRun = framesPerRun;
    }

    /**
     * @param llm the language model's config (pre-fusion layers share its shapes and rotary settings)
     * @param layers {@code prefusion_layer_num}, 4 in the released model
     * @param prefix {@link #DEFAULT_PREFIX} in a LLaVA-Mini checkpoint
     * @throws ModelFormatException when a tensor is missing or misshapen (before any TF work)
     */
    public static PreFusion load(LlamaConfig llm, int layers, String prefix, TensorSource weights, DecoderOptions options) {
        return new PreFusion(LlamaDecoderStack.load(llm, layers, prefix, weights, options), options.maxBatch());
    }

    public int layers() {
        return stack.layers();
    }

    public int width() {
        return stack.config().hiddenSize();
    }

    /** Z' of each frame, {@code [C²][D]}: equal to {@link #fuse}'s for any prompt. */
    public List<float[][]> compressedTokens(List<FrameTokens> frames) {
        FrameTokens first = check(frames);
        int v = first.visionLength();
        int[] positions = new int[v];
        int[] mask = new int[v];
        for (int i = 0; i < v; i++) {
            positions[i] = i;
            mask[i] = 1;
        }
        List<float[][]> out = new ArrayList<>();
        for (float[][] hidden : run(frames, null, positions, mask)) {
            out.add(Arrays.copyOfRange(hidden, first.image().length, v));
        }
        return out;
    }

    /** Z' and T' of each frame with the same prompt. */
    public List<FusedFrame> fuse(List<FrameTokens> frames, FusionText text) {
        FrameTokens first = check(frames);
        if (text.width() != width()) {
            throw new IllegalArgumentException("text embeddings of width " + text.width() + ", pre-fusion is " + width());
        }
        int v = first.visionLength();
        int[] positions = positions(v, text);
        int[] mask = mask(v, text);
        List<FusedFrame> out = new ArrayList<>();
        for (float[][] hidden : run(frames, text, positions, mask)) {
            out.add(new FusedFrame(Arrays.copyOfRange(hidden, first.image().length, v), fusedText(hidden, v, text)));
        }
        return out;
    }

    /**
     * T' of one frame with each of several prompts, in runs of up to {@link DecoderOptions#maxBatch()} prompts: each
     * prompt after the frame's tokens, padded at its end with hidden columns to the longest. The padding comes after
     * every column of the prompt and is hidden from every query, so causal attention gives each prompt's columns
     * what a run of that prompt alone gives them.
     */
    public List<float[][]> fuseTexts(FrameTokens frame, List<FusionText> texts) {
        check(List.of(frame));
        int v = frame.visionLength();
        int longest = 0;
        for (FusionText t : texts) {
            if (t.width() != width()) {
                throw new IllegalArgumentException("text embeddings of width " + t.width() + ", pre-fusion is " + width());
            }
            longest = Math.max(longest, t.length());
        }
        int length = v + longest;
        float[] padding = new float[width()];
        List<float[][]> hidden = run(texts.size(), i -> {
            float[][] x = Arrays.copyOf(sequence(frame, texts.get(i)), length);
            Arrays.fill(x, v + texts.get(i).length(), length, padding);
            return x;
        }, i -> {
            int[] pos = Arrays.copyOf(positions(v, texts.get(i)), length);
            Arrays.fill(pos, v + texts.get(i).length(), length, 1);
            return pos;
        }, i -> Arrays.copyOf(mask(v, texts.get(i)), length));
        List<float[][]> out = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            out.add(fusedText(hidden.get(i), v, texts.get(i)));
        }
        return out;
    }

    /** The text's columns of a run's hidden states, hidden columns restored to their input embeddings. */
    private static float[][] fusedText(float[][] hidden, int visionLength, FusionText text) {
        float[][] t = Arrays.copyOfRange(hidden, visionLength, visionLength + text.length());
        for (int j = 0; j < t.length; j++) {
            if (!text.visible(j)) {
                t[j] = text.embeddings()[j].clone();
            }
        }
        return t;
    }

    static int[] mask(int visionLength, FusionText text) {
        return keyMask(visionLength, text.ids());
    }

    static int[] positions(int visionLength, FusionText text) {
        return positionIds(visionLength, text.ids());
    }

    /** Which columns of {@code [vision | text]} are keys: every vision column, and text ids above 0. */
    public static int[] keyMask(int visionLength, int[] textIds) {
        int[] mask = new int[visionLength + textIds.length];
        for (int i = 0; i < mask.length; i++) {
            mask[i] = i < visionLength || textIds[i - visionLength] > 0 ? 1 : 0;
        }
        return mask;
    }

    /** The rotary positions of {@code [vision | text]}: {@code cumsum(visible) - 1}, hidden columns at 1. */
    public static int[] positionIds(int visionLength, int[] textIds) {
        int[] mask = keyMask(visionLength, textIds);
        int[] positions = new int[mask.length];
        int seen = 0;
        for (int i = 0; i < mask.length; i++) {
            seen += mask[i];
            positions[i] = mask[i] == 1 ? seen - 1 : 1;
        }
        return positions;
    }

    private List<float[][]> run(List<FrameTokens> frames, FusionText text, int[] positions, int[] mask) {
        return run(frames.size(), i -> sequence(frames.get(i), text), i -> positions, i -> mask);
    }

    /** The stack's output for {@code rows} rows of equal length, in runs of up to {@code framesPerRun} rows. */
    private List<float[][]> run(int rows, IntFunction<float[][]> input, IntFunction<int[]> positions,
            IntFunction<int[]> mask) {
        List<float[][]> out = new ArrayList<>();
        for (int start = 0; start < rows; start += framesPerRun) {
            int n = Math.min(rows - start, framesPerRun);
            float[][][] x = new float[n][][];
            int[][] pos = new int[n][];
            int[][] keep = new int[n][];
            for (int b = 0; b < n; b++) {
                x[b] = input.apply(start + b);
                pos[b] = positions.apply(start + b);
                keep[b] = mask.apply(start + b);
            }
            out.addAll(Arrays.asList(stack.forward(x, pos, keep)));
        }
        return out;
    }

    private static float[][] sequence(FrameTokens frame, FusionText text) {
        int p = frame.image().length;
        int c = frame.compressed().length;
        float[][] x = new float[p + c + (text == null ? 0 : text.length())][];
        System.arraycopy(frame.image(), 0, x, 0, p);
        System.arraycopy(frame.compressed(), 0, x, p, c);
        if (text != null) {
            System.arraycopy(text.embeddings(), 0, x, p + c, text.length());
        }
        return x;
    }

    private FrameTokens check(List<FrameTokens> frames) {
        if (frames.isEmpty()) {
            throw new IllegalArgumentException("no frames");
        }
        FrameTokens first = frames.get(0);
        for (FrameTokens f : frames) {
            if (f.width() != width()) {
                throw new IllegalArgumentException("frame tokens of width " + f.width() + ", pre-fusion is " + width());
            }
            if (f.image().length != first.image().length || f.compressed().length != first.compressed().length) {
                throw new IllegalArgumentException("frames of one call must share their token counts: "
                        + first.image().length + "+" + first.compressed().length + " vs "
                        + f.image().length + "+" + f.compressed().length);
            }
        }
        return first;
    }

    @Override
    public void close() {
        stack.close();
    }
}

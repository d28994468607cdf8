package io.streamvl.models.tsllava;

import io.streamvl.models.text.PromptTokens;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * TS-LLaVA's training-free input assembly (V2): the sampled tokens of all frames first, then the
 * thumbnail's tokens, spliced into the prompt where its one {@code <image>} marker is. Vision runs
 * elsewhere: this class says which frames to encode ({@link #plan}), builds the thumbnail image
 * ({@link #thumbnail}), and puts the projected tokens in order.
 *
 * <p>A streaming operator can plan over a window's frame count, encode the planned frames one by one into
 * {@link TsLlavaPlan#sampler()}'s {@link TokenSampler.Collector}, and never hold more than the sampled
 * tokens.
 */
public final class TsLlavaAssembler {

    private final TsLlavaConfig config;
    private final Thumbnail thumbnail;

    public TsLlavaAssembler(TsLlavaConfig config) {
        this.config = config;
        this.thumbnail = config.thumbnail();
    }

    public TsLlavaConfig config() {
        return config;
    }

    public Thumbnail thumbnail() {
        return thumbnail;
    }

    /**
     * The plan for a video or window of {@code availableFrames}: up to {@link TsLlavaConfig#frames()}
     * segment-middle frames, the thumbnail's share of them, and the token sampler over them.
     *
     * @throws IllegalArgumentException with fewer than {@link TsLlavaConfig#minimumFrames()} frames, where
     *     the reference cannot build a thumbnail or sample enough tokens either
     */
    public TsLlavaPlan plan(int availableFrames) {
        int slots = Math.min(Math.max(availableFrames, 0), config.frames());
        if (slots < config.minimumFrames()) {
            throw new IllegalArgumentException("TS-LLaVA needs at least " + config.minimumFrames()
                    + " frames, got " + availableFrames);
        }
        int[] frames = FrameIndices.select(availableFrames, config.frames());
        return new TsLlavaPlan(frames, thumbnail.pick(frames.length),
                new TokenSampler(frames.length, config.tokensPerFrame(), config.sampledTokens()));
    }

    /**
     * The visual tokens {@code [sampled + tokensPerFrame][dim]} from every slot's tokens
     * ({@code [tokensPerFrame * dim]} each, in slot order) and the thumbnail's.
     */
    public float[][] visualTokens(TsLlavaPlan plan, List<float[]> slotTokens, float[] thumbnailTokens) {
        int dim = tokenWidth(thumbnailTokens);
        return visualTokens(plan.sampler().sample(slotTokens, dim), thumbnailTokens);
    }

    /**
     * Sampled tokens first, then the thumbnail's, as the reference's V variants concatenate them. The
     * sampled rows are shared with the result, not copied.
     */
    public float[][] visualTokens(float[][] sampled, float[] thumbnailTokens) {
        int dim = tokenWidth(thumbnailTokens);
        if (sampled.length != config.sampledTokens()) {
            throw new IllegalArgumentException("expected " + config.sampledTokens() + " sampled tokens, got "
                    + sampled.length);
        }
        float[][] visual = new float[config.visualTokens()][];
        for (int i = 0; i < sampled.length; i++) {
            if (sampled[i].length != dim) {
                throw new IllegalArgumentException("sampled token " + i + " has " + sampled[i].length
                        + " floats, the thumbnail's have " + dim);
            }
            visual[i] = sampled[i];
        }
        for (int t = 0; t < config.tokensPerFrame(); t++) {
            visual[sampled.length + t] = Arrays.copyOfRange(thumbnailTokens, t * dim, (t + 1) * dim);
        }
        return visual;
    }

    /**
     * The LLM's input embeddings: the prompt's text embedded by {@code embedFlat} (e.g.
     * {@code LlamaModel::embedFlat}, row-major {@code [len * dim]}), with the image marker replaced in place
     * by the visual tokens, as LLaVA's {@code prepare_inputs_labels_for_multimodal} does: no separators, and
     * the BOS is whatever the prompt's tokenization put first. The visual rows are shared, not copied.
     */
    public static float[][] inputEmbeddings(PromptTokens prompt, float[][] visual,
            Function<int[], float[]> embedFlat) {
        int[] marker = prompt.imagePositions();
        if (marker.length != 1) {
            throw new IllegalArgumentException("a TS-LLaVA prompt has exactly one image placeholder, got "
                    + marker.length);
        }
        if (visual.length == 0) {
            throw new IllegalArgumentException("no visual tokens");
        }
        int dim = visual[0].length;
        int[] ids = prompt.ids();
        int at = marker[0];
        int[] text = new int[ids.length - 1];
        System.arraycopy(ids, 0, text, 0, at);
        System.arraycopy(ids, at + 1, text, at, text.length - at);
        float[] embedded = text.length == 0 ? new float[0] : embedFlat.apply(text);
        if (embedded.length != (long) text.length * dim) {
            throw new IllegalArgumentException("text embeddings are " + embedded.length + " floats for "
                    + text.length + " tokens, the visual tokens are " + dim + " wide");
        }
        float[][] rows = new float[text.length + visual.length][];
        for (int i = 0; i < text.length; i++) {
            int row = i < at ? i : i + visual.length;
            rows[row] = Arrays.copyOfRange(embedded, i * dim, (i + 1) * dim);
        }
        for (int v = 0; v < visual.length; v++) {
            if (visual[v].length != dim) {
                throw new IllegalArgumentException("visual token " + v + " has " + visual[v].length + " floats, not "
                        + dim);
            }
            rows[at + v] = visual[v];
        }
        return rows;
    }

    private int tokenWidth(float[] thumbnailTokens) {
        int perFrame = config.tokensPerFrame();
        if (thumbnailTokens.length == 0 || thumbnailTokens.length % perFrame != 0) {
            throw new IllegalArgumentException("the thumbnail's tokens must be " + perFrame + " rows of equal width,"
                    + " got " + thumbnailTokens.length + " floats");
        }
        return thumbnailTokens.length / perFrame;
    }
}

package io.streamvl.models.vision;

import io.streamvl.models.ModelFormatException;

/**
 * The shape of an HF {@code CLIPVisionModel}: a ViT over square RGB images cut into square patches.
 *
 * @param hiddenAct {@code quick_gelu} (every OpenAI CLIP) or {@code gelu} (exact, erf-based)
 */
public record ClipVisionConfig(int hiddenSize, int intermediateSize, int numLayers, int numHeads, int imageSize,
        int patchSize, double layerNormEps, String hiddenAct) {
    public static final String QUICK_GELU = "quick_gelu";
    public static final String GELU = "gelu";
    public static final int CHANNELS = 3;

    public ClipVisionConfig {
        if (hiddenSize < 1 || intermediateSize < 1 || numLayers < 1 || numHeads < 1 || imageSize < 1 || patchSize < 1
                || !(layerNormEps > 0)) {
            throw new ModelFormatException("vision config: sizes and layer_norm_eps must be positive: " + describe(
                    hiddenSize, intermediateSize, numLayers, numHeads, imageSize, patchSize, layerNormEps));
        }
        if (hiddenSize % numHeads != 0) {
            throw new ModelFormatException("vision config: hidden_size " + hiddenSize
                    + " is not a multiple of num_attention_heads " + numHeads);
        }
        if (imageSize % patchSize != 0) {
            throw new ModelFormatException("vision config: image_size " + imageSize
                    + " is not a multiple of patch_size " + patchSize);
        }
        if (!QUICK_GELU.equals(hiddenAct) && !GELU.equals(hiddenAct)) {
            throw new ModelFormatException("vision config: unsupported hidden_act " + hiddenAct
                    + " (supported: quick_gelu, gelu)");
        }
    }

    /** OpenAI's {@code clip-vit-large-patch14-336}, the tower of LLaVA-1.5/1.6 and LLaVA-Mini. */
    public static ClipVisionConfig vitL14x336() {
        return new ClipVisionConfig(1024, 4096, 24, 16, 336, 14, 1e-5, QUICK_GELU);
    }

    public int headDim() {
        return hiddenSize / numHeads;
    }

    public int patchesPerSide() {
        return imageSize / patchSize;
    }

    /** Patch tokens per image; the tower's output rows once the class token is dropped. */
    public int numPatches() {
        return patchesPerSide() * patchesPerSide();
    }

    /** Patch tokens plus the class token. */
    public int numPositions() {
        return numPatches() + 1;
    }

    /** Floats in one input image, {@code [imageSize, imageSize, 3]}. */
    public int imageFloats() {
        return imageSize * imageSize * CHANNELS;
    }

    /** Inputs to the patch embedding per patch: the flattened {@code [3, p, p]} kernel. */
    public int patchFloats() {
        return CHANNELS * patchSize * patchSize;
    }

    /**
     * The number of encoder layers that must run to produce HF's {@code hidden_states[selectLayer]}.
     * {@code hidden_states[0]} is the pre-layernormed embedding and {@code hidden_states[k]} the output of
     * layer {@code k-1}, so {@code -2} (LLaVA's choice) runs all but the last layer.
     *
     * @throws ModelFormatException when the index is outside {@code -(L+1)..L}
     */
    public int layersFor(int selectLayer) {
        int index = selectLayer < 0 ? numLayers + 1 + selectLayer : selectLayer;
        if (index < 0 || index > numLayers) {
            throw new ModelFormatException("vision select layer " + selectLayer + " is outside the "
                    + (numLayers + 1) + " hidden states of a " + numLayers + "-layer tower");
        }
        return index;
    }

    /**
     * Multiply-add FLOPs (2 per MAC) of one frame through the patch embedding and {@code layers} encoder
     * layers: q/k/v/out projections, attention scores and weighted sum, MLP. Norms, softmax and activations
     * are left out (under 1% at ViT-L sizes).
     */
    public double flopsPerFrame(int layers) {
        double t = numPositions();
        double d = hiddenSize;
        double patchEmbedding = 2.0 * numPatches() * patchFloats() * d;
        double perLayer = 2 * t * d * 4 * d + 2 * 2 * t * t * d + 2 * 2 * t * d * intermediateSize;
        return patchEmbedding + layers * perLayer;
    }

    /**
     * Float32 activation bytes one frame needs at peak inside an encoder layer: the residual stream and its
     * norm, fused q/k/v and their per-head copies, attention scores and probabilities, and the MLP's hidden
     * layer before and after its activation. About 80 MB for ViT-L/14-336.
     */
    public long activationBytesPerFrame() {
        long t = numPositions();
        long d = hiddenSize;
        return 4 * (2 * t * d + 6 * t * d + 2L * numHeads * t * t + 2 * t * intermediateSize);
    }

    private static String describe(int hidden, int inter, int layers, int heads, int image, int patch, double eps) {
        return "hidden_size=" + hidden + " intermediate_size=" + inter + " num_hidden_layers=" + layers
                + " num_attention_heads=" + heads + " image_size=" + image + " patch_size=" + patch
                + " layer_norm_eps=" + eps;
    }
}

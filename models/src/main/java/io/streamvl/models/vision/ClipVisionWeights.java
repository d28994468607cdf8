package io.streamvl.models.vision;

import io.streamvl.models.ModelFormatException;
import io.streamvl.models.weights.PrefixedTensors;
import io.streamvl.models.weights.TensorSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The HF tensor names and shapes of a {@code CLIPVisionTransformer}, without any prefix
 * ({@code embeddings.patch_embedding.weight}, {@code pre_layrnorm.weight} — HF's spelling —,
 * {@code encoder.layers.0.self_attn.q_proj.weight}, ...), and the views that find them in
 * {@code CLIPVisionModel} and LLaVA checkpoints.
 */
public final class ClipVisionWeights {
    /** Where checkpoints store the tower, most specific first (a shorter one is a suffix of a longer one). */
    static final List<String> PREFIXES = List.of(
            "model.vision_tower.vision_tower.vision_model.", // original LLaVA / LLaVA-Mini with the tower inside
            "model.vision_tower.vision_model.", // HF LLaVA, transformers 4.52 and later
            "vision_tower.vision_model.", // HF LLaVA before 4.52
            "vision_model."); // CLIPVisionModel / CLIPModel

    private static final String PROBE = "embeddings.patch_embedding.weight";

    private ClipVisionWeights() {}

    static String layer(int i, String suffix) {
        return "encoder.layers." + i + "." + suffix;
    }

    /**
     * Every tensor the first {@code layers} encoder layers need, with its shape; {@code post_layernorm} and
     * later layers are never read, since LLaVA takes an intermediate hidden state.
     */
    public static Map<String, long[]> expected(ClipVisionConfig c, int layers) {
        long d = c.hiddenSize();
        long m = c.intermediateSize();
        long p = c.patchSize();
        Map<String, long[]> out = new LinkedHashMap<>();
        out.put("embeddings.class_embedding", new long[] {d});
        out.put(PROBE, new long[] {d, ClipVisionConfig.CHANNELS, p, p});
        out.put("embeddings.position_embedding.weight", new long[] {c.numPositions(), d});
        out.put("pre_layrnorm.weight", new long[] {d});
        out.put("pre_layrnorm.bias", new long[] {d});
        for (int i = 0; i < layers; i++) {
            for (String norm : new String[] {"layer_norm1.", "layer_norm2."}) {
                out.put(layer(i, norm + "weight"), new long[] {d});
                out.put(layer(i, norm + "bias"), new long[] {d});
            }
            for (String proj : new String[] {"q_proj.", "k_proj.", "v_proj.", "out_proj."}) {
                out.put(layer(i, "self_attn." + proj + "weight"), new long[] {d, d});
                out.put(layer(i, "self_attn." + proj + "bias"), new long[] {d});
            }
            out.put(layer(i, "mlp.fc1.weight"), new long[] {m, d});
            out.put(layer(i, "mlp.fc1.bias"), new long[] {m});
            out.put(layer(i, "mlp.fc2.weight"), new long[] {d, m});
            out.put(layer(i, "mlp.fc2.bias"), new long[] {d});
        }
        return out;
    }

    /**
     * @throws ModelFormatException listing the first problems, expected vs actual shape
     */
    public static void check(ClipVisionConfig config, int layers, TensorSource tower) {
        WeightCheck.check("CLIP vision config", expected(config, layers), tower);
    }

    /**
     * The tower's tensors under unprefixed names, from a checkpoint that stores them bare or under one of
     * {@code vision_model.}, {@code vision_tower.vision_model.}, {@code model.vision_tower.vision_model.}
     * or {@code model.vision_tower.vision_tower.vision_model.}.
     *
     * @throws ModelFormatException when the checkpoint holds no vision tower
     */
    public static TensorSource tower(TensorSource weights) {
        if (weights.info(PROBE) != null) {
            return weights;
        }
        for (String prefix : PREFIXES) {
            if (weights.info(prefix + PROBE) != null) {
                return new PrefixedTensors(weights, Map.of("", prefix));
            }
        }
        throw new ModelFormatException("the checkpoint has no CLIP vision tower: no " + PROBE + " under any of "
                + PREFIXES + " (original LLaVA-1.5 checkpoints keep the tower in openai/clip-vit-large-patch14-336; "
                + "merge its weights into the bundle)");
    }
}

package io.streamvl.models.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamvl.models.bundle.Architecture;
import io.streamvl.models.bundle.LlamaConfigs;
import io.streamvl.models.bundle.ModelBundle;
import io.streamvl.models.bundle.ModelManifest;
import io.streamvl.models.llama.LlamaConfig;
import io.streamvl.models.tiny.TinyLlama;
import io.streamvl.models.vision.ClipVisionConfig;
import io.streamvl.models.vision.ClipVisionConfigs;
import io.streamvl.models.vision.ClipVisionWeights;
import io.streamvl.models.vision.ProjectorWeights;
import io.streamvl.models.weights.Checkpoint;
import io.streamvl.models.weights.DType;
import io.streamvl.models.weights.InMemoryTensors;
import io.streamvl.models.weights.SafetensorsWriter;
import io.streamvl.models.weights.TensorSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Tiny CLIP vision towers and mlp2x_gelu projectors with seeded random weights under HF names. Each tensor
 * draws from its own seed (the given seed mixed with its name). Scales keep activations near unit variance,
 * with q/k wide enough that attention is far from uniform, so a wrong head split or patch order shows.
 */
public final class TinyClip {
    private TinyClip() {}

    /** Image 28, patch 7 (16 patches), hidden 32, 3 layers, 4 heads, quick GELU. */
    public static ClipVisionConfig config() {
        return new ClipVisionConfig(32, 64, 3, 4, 28, 7, 1e-5, ClipVisionConfig.QUICK_GELU);
    }

    /** Image 32, patch 4 (64 patches), hidden 24, 2 layers, 3 heads, exact GELU, a larger epsilon. */
    public static ClipVisionConfig geluConfig() {
        return new ClipVisionConfig(24, 40, 2, 3, 32, 4, 1e-3, ClipVisionConfig.GELU);
    }

    /** Every tensor of the tower's layers (post-layernorm excluded: LLaVA never reads it), unprefixed. */
    public static InMemoryTensors tower(ClipVisionConfig config, long seed) {
        InMemoryTensors tensors = new InMemoryTensors();
        ClipVisionWeights.expected(config, config.numLayers())
                .forEach((name, shape) -> tensors.put(name, values(name, shape, seed), shape));
        return tensors;
    }

    /** Projector {@code linear_1} {@code [out, in]} and {@code linear_2} {@code [out, out]} with biases. */
    public static InMemoryTensors projector(int in, int out, long seed) {
        InMemoryTensors tensors = new InMemoryTensors();
        ProjectorWeights.expected(in, out).forEach((name, shape) -> tensors.put(name, values(name, shape, seed), shape));
        return tensors;
    }

    /** {@code source}'s tensors renamed with {@code prefix} in front, as a checkpoint would store them. */
    public static InMemoryTensors prefixed(TensorSource source, String prefix) {
        InMemoryTensors out = new InMemoryTensors();
        for (String name : source.names()) {
            out.put(prefix + name, source.floats(name), source.info(name).shape());
        }
        return out;
    }

    /** Adds {@code source}'s tensors with {@code prefix} in front to {@code target}. */
    public static InMemoryTensors addPrefixed(InMemoryTensors target, TensorSource source, String prefix) {
        for (String name : source.names()) {
            target.put(prefix + name, source.floats(name), source.info(name).shape());
        }
        return target;
    }

    /**
     * Writes an HF LLaVA bundle (transformers before 4.52: {@code language_model.}, {@code vision_tower.vision_model.},
     * {@code multi_modal_projector.}) with a tiny decoder, tower and projector, all drawn from {@code seed}; the
     * tower and projector weights are {@link #tower} and {@link #projector} of the same seed.
     */
    public static Path writeLlavaBundle(Path dir, LlamaConfig text, ClipVisionConfig vision, long seed) {
        try {
            Files.createDirectories(dir);
            ObjectMapper json = new ObjectMapper();
            ObjectNode hf = json.createObjectNode();
            hf.putArray("architectures").add("LlavaForConditionalGeneration");
            hf.put("model_type", "llava");
            hf.set("text_config", LlamaConfigs.toHfJson(text));
            hf.set("vision_config", ClipVisionConfigs.toHfJson(vision));
            hf.put("vision_feature_layer", ClipVisionConfigs.DEFAULT_SELECT_LAYER);
            hf.put("vision_feature_select_strategy", "default");
            hf.put("projector_hidden_act", "gelu");
            json.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(ModelBundle.CONFIG).toFile(), hf);
            ModelManifest manifest = new ModelManifest(ModelManifest.SCHEMA, Architecture.LLAVA, "tiny-llava", "plain",
                    text.eosTokenIds(), List.of(), DType.F32, null);
            json.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(ModelBundle.MANIFEST).toFile(), manifest.toJson());
            InMemoryTensors all = prefixed(TinyLlama.weights(text, seed), "language_model.");
            addPrefixed(all, tower(vision, seed), "vision_tower.vision_model.");
            addPrefixed(all, projector(vision.hiddenSize(), text.hiddenSize(), seed), "multi_modal_projector.");
            SafetensorsWriter.write(dir.resolve(Checkpoint.SINGLE_FILE), all, DType.F32, Map.of("format", "pt"));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write tiny LLaVA bundle " + dir, e);
        }
    }

    /** Normalised-looking images: values in about [-2, 2], NHWC, {@code n} frames. */
    public static float[] images(ClipVisionConfig config, int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] v = new float[n * config.imageFloats()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) random.nextDouble(-2, 2);
        }
        return v;
    }

    private static float[] values(String name, long[] shape, long seed) {
        SplittableRandom random = new SplittableRandom(seed ^ (name.hashCode() * 0x9E3779B97F4A7C15L));
        int n = 1;
        for (long d : shape) {
            n *= (int) d;
        }
        float[] v = new float[n];
        boolean normWeight = (name.contains("norm") || name.contains("layrnorm")) && name.endsWith(".weight");
        if (shape.length == 1) {
            double base = normWeight ? 1 : 0;
            double spread = normWeight ? 0.2 : name.equals("embeddings.class_embedding") ? 1 : 0.1;
            for (int i = 0; i < n; i++) {
                v[i] = (float) (base + random.nextDouble(-spread, spread));
            }
            return v;
        }
        long fanIn = n / shape[0];
        double bound = Math.sqrt(3.0 / fanIn);
        if (name.contains("q_proj") || name.contains("k_proj")) {
            bound *= 2;
        } else if (name.contains("position_embedding")) {
            bound = 0.5;
        }
        for (int i = 0; i < n; i++) {
            v[i] = (float) random.nextDouble(-bound, bound);
        }
        return v;
    }
}

package io.streamvl.models.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamvl.models.bundle.Architecture;
import io.streamvl.models.bundle.LlamaConfigs;
import io.streamvl.models.bundle.ModelBundle;
import io.streamvl.models.bundle.ModelManifest;
import io.streamvl.models.llama.LlamaConfig;
import io.streamvl.models.tiny.TinyClipWeights;
import io.streamvl.models.tiny.TinyLlama;
import io.streamvl.models.vision.ClipVisionConfig;
import io.streamvl.models.vision.ClipVisionConfigs;
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
 * Tiny CLIP configs, images and HF LLaVA bundles for tests; the seeded weights themselves are
 * {@link TinyClipWeights}' (main scope, shared with the tiny bundles streamvl writes).
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
        return TinyClipWeights.tower(config, seed);
    }

    /** Projector {@code linear_1} {@code [out, in]} and {@code linear_2} {@code [out, out]} with biases. */
    public static InMemoryTensors projector(int in, int out, long seed) {
        return TinyClipWeights.projector(in, out, seed);
    }

    /** {@code source}'s tensors renamed with {@code prefix} in front, as a checkpoint would store them. */
    public static InMemoryTensors prefixed(TensorSource source, String prefix) {
        return TinyClipWeights.addPrefixed(new InMemoryTensors(), source, prefix);
    }

    /** Adds {@code source}'s tensors with {@code prefix} in front to {@code target}. */
    public static InMemoryTensors addPrefixed(InMemoryTensors target, TensorSource source, String prefix) {
        return TinyClipWeights.addPrefixed(target, source, prefix);
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
}

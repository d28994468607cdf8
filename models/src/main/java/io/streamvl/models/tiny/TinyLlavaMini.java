package io.streamvl.models.tiny;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamvl.models.bundle.Architecture;
import io.streamvl.models.bundle.LlamaConfigs;
import io.streamvl.models.bundle.ModelManifest;
import io.streamvl.models.llama.LlamaConfig;
import io.streamvl.models.llavamini.CompressorWeights;
import io.streamvl.models.llavamini.LlavaMiniSettings;
import io.streamvl.models.llavamini.PreFusion;
import io.streamvl.models.llavamini.RandomLlavaMiniWeights;
import io.streamvl.models.tsllava.TsLlavaConfig;
import io.streamvl.models.vision.ClipVisionConfig;
import io.streamvl.models.vision.ClipVisionConfigs;
import io.streamvl.models.weights.InMemoryTensors;
import java.nio.file.Path;

/**
 * A whole {@code llava-mini} bundle with seeded random weights, laid out as the reference checkpoint is
 * ({@code model.*} LLM, {@code model.vision_tower.vision_tower.vision_model.*}, {@code model.mm_projector.0/2},
 * {@code model.compressor.*}, {@code model.prefusion_layers.*}), so it loads through the same path as a
 * released LLaVA-Mini. Sizes: {@link TinyBundles#vision()} (16 patches), C = 1, 4 compressor heads,
 * 2 pre-fusion layers, a 2-layer LLM over the given tokenizer's vocabulary; template {@code plain}; and
 * {@link #TS_LLAVA} in the manifest, for TS-LLaVA over its image path.
 */
public final class TinyLlavaMini {
    public static final LlavaMiniSettings SETTINGS = new LlavaMiniSettings(1, 2, 4, 1);
    /** {@link TinyLlava#TS_LLAVA}: the two bundles share their vision tower. */
    public static final TsLlavaConfig TS_LLAVA = TinyLlava.TS_LLAVA;

    private TinyLlavaMini() {}

    public static ClipVisionConfig visionConfig() {
        return TinyBundles.vision();
    }

    /**
     * @param tokenizerJson copied in with its {@code tokenizer_config.json}; its vocabulary sizes the LLM
     */
    public static Path write(Path dir, long seed, Path tokenizerJson) {
        return write(dir, seed, tokenizerJson, SETTINGS);
    }

    /** @param settings e.g. {@code SETTINGS.withResolutionRatio(2)} for an HD bundle (same weights, frames twice the size) */
    public static Path write(Path dir, long seed, Path tokenizerJson, LlavaMiniSettings settings) {
        return write(dir, seed, tokenizerJson, settings, visionConfig(), TinyBundles.llm(tokenizerJson),
                TS_LLAVA);
    }

    /**
     * Other sizes, e.g. {@link ShapesModelConfig}'s; {@code llm}'s vocabulary must be the tokenizer's, and
     * {@code tsLlava} must fit {@code vision}.
     */
    static Path write(Path dir, long seed, Path tokenizerJson, LlavaMiniSettings settings, ClipVisionConfig vision,
            LlamaConfig llm, TsLlavaConfig tsLlava) {
        if (tsLlava.tokensPerFrame() != vision.numPatches() || tsLlava.imageHeight() != vision.imageSize()
                || tsLlava.imageWidth() != vision.imageSize()) {
            throw new IllegalArgumentException("TS-LLaVA settings " + tsLlava + " do not fit a " + vision.imageSize()
                    + "px tower of " + vision.numPatches() + " patches");
        }
        ObjectNode config = LlamaConfigs.toHfJson(llm);
        config.putArray("architectures").add("LlavaMiniLlamaForCausalLM");
        config.put("model_type", "llava_mini");
        config.set("vision_config", ClipVisionConfigs.toHfJson(vision));
        config.put("mm_vision_select_layer", ClipVisionConfigs.DEFAULT_SELECT_LAYER);
        config.put("mm_vision_select_feature", "patch");
        config.put("mm_projector_type", "mlp2x_gelu");
        config.put("mm_hidden_size", vision.hiddenSize());
        settings.writeTo(config);
        ModelManifest manifest = TinyBundles.manifest(Architecture.LLAVA_MINI, "tiny-llava-mini", llm, tsLlava);
        return TinyBundles.write(dir, config, manifest, weights(llm, vision, settings, seed), tokenizerJson);
    }

    private static InMemoryTensors weights(LlamaConfig llm, ClipVisionConfig vision, LlavaMiniSettings settings,
            long seed) {
        InMemoryTensors all = TinyLlama.weights(llm, seed);
        TinyClipWeights.addPrefixed(all,
                RandomLlavaMiniWeights.preFusion(llm, settings.prefusionLayers(), PreFusion.DEFAULT_PREFIX, seed), "");
        TinyClipWeights.addPrefixed(all, TinyClipWeights.tower(vision, seed),
                "model.vision_tower.vision_tower.vision_model.");
        InMemoryTensors projector = TinyClipWeights.projector(vision.hiddenSize(), llm.hiddenSize(), seed);
        for (String name : projector.names()) {
            String stored = name.replace("linear_1.", "model.mm_projector.0.").replace("linear_2.", "model.mm_projector.2.");
            all.put(stored, projector.floats(name), projector.info(name).shape());
        }
        TinyClipWeights.addPrefixed(all, RandomLlavaMiniWeights.compressor(CompressorWeights.DEFAULT_PREFIX,
                settings.compressorSize(), vision.hiddenSize(), seed), "");
        return all;
    }
}

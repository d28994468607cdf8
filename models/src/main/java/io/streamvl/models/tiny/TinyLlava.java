package io.streamvl.models.tiny;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamvl.models.bundle.Architecture;
import io.streamvl.models.bundle.LlamaConfigs;
import io.streamvl.models.bundle.ModelManifest;
import io.streamvl.models.llama.LlamaConfig;
import io.streamvl.models.tsllava.TsLlavaConfig;
import io.streamvl.models.vision.ClipVisionConfig;
import io.streamvl.models.vision.ClipVisionConfigs;
import io.streamvl.models.weights.InMemoryTensors;
import java.nio.file.Path;

/**
 * A whole HF LLaVA bundle ({@code language_model.}, {@code vision_tower.vision_model.},
 * {@code multi_modal_projector.}) with seeded random weights, for TS-LLaVA: {@link TinyBundles#vision()}
 * (24 px, 16 tokens per frame), a 2-layer LLM over the given tokenizer's vocabulary, template {@code plain},
 * and {@link #TS_LLAVA} in the manifest so the visual tokens fit a tiny context.
 */
public final class TinyLlava {
    /** 8 frames, a 6-frame thumbnail, 24 sampled tokens: 40 visual tokens. */
    public static final TsLlavaConfig TS_LLAVA = new TsLlavaConfig(8, 6, 24, 16, 24, 24);

    private TinyLlava() {}

    public static ClipVisionConfig visionConfig() {
        return TinyBundles.vision();
    }

    /**
     * @param tokenizerJson copied in with its {@code tokenizer_config.json}; its vocabulary sizes the LLM
     */
    public static Path write(Path dir, long seed, Path tokenizerJson) {
        LlamaConfig llm = TinyBundles.llm(tokenizerJson);
        ClipVisionConfig vision = visionConfig();
        ObjectNode config = JsonNodeFactory.instance.objectNode();
        config.putArray("architectures").add("LlavaForConditionalGeneration");
        config.put("model_type", "llava");
        config.set("text_config", LlamaConfigs.toHfJson(llm));
        config.set("vision_config", ClipVisionConfigs.toHfJson(vision));
        config.put("vision_feature_layer", ClipVisionConfigs.DEFAULT_SELECT_LAYER);
        config.put("vision_feature_select_strategy", "default");
        config.put("projector_hidden_act", "gelu");
        ModelManifest manifest = TinyBundles.manifest(Architecture.LLAVA, "tiny-llava", llm, TS_LLAVA);
        InMemoryTensors all = TinyClipWeights.addPrefixed(new InMemoryTensors(), TinyLlama.weights(llm, seed),
                "language_model.");
        TinyClipWeights.addPrefixed(all, TinyClipWeights.tower(vision, seed), "vision_tower.vision_model.");
        TinyClipWeights.addPrefixed(all, TinyClipWeights.projector(vision.hiddenSize(), llm.hiddenSize(), seed),
                "multi_modal_projector.");
        return TinyBundles.write(dir, config, manifest, all, tokenizerJson);
    }
}

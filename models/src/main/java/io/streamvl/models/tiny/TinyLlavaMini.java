package io.streamvl.models.tiny;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamvl.models.bundle.Architecture;
import io.streamvl.models.bundle.LlamaConfigs;
import io.streamvl.models.bundle.ModelManifest;
import io.streamvl.models.llama.LlamaConfig;
import io.streamvl.models.llavamini.CompressorWeights;
import io.streamvl.models.llavamini.LlavaMiniSettings;
import io.streamvl.models.llavamini.PreFusion;
import io.streamvl.models.vision.ClipVisionConfig;
import io.streamvl.models.vision.ClipVisionConfigs;
import io.streamvl.models.weights.DType;
import io.streamvl.models.weights.InMemoryTensors;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A whole {@code llava-mini} bundle with seeded random weights, laid out as the reference checkpoint is
 * ({@code model.*} LLM, {@code model.vision_tower.vision_tower.vision_model.*}, {@code model.mm_projector.0/2},
 * {@code model.compressor.*}, {@code model.prefusion_layers.*}), so it loads through the same path as a
 * released LLaVA-Mini. Sizes: {@link TinyBundles#vision()} (16 patches), C = 1, 4 compressor heads,
 * 2 pre-fusion layers, a 2-layer LLM over the given tokenizer's vocabulary; template {@code plain}.
 */
public final class TinyLlavaMini {
    public static final LlavaMiniSettings SETTINGS = new LlavaMiniSettings(1, 2, 4);

    private TinyLlavaMini() {}

    public static ClipVisionConfig visionConfig() {
        return TinyBundles.vision();
    }

    /**
     * @param tokenizerJson copied in with its {@code tokenizer_config.json}; its vocabulary sizes the LLM
     */
    public static Path write(Path dir, long seed, Path tokenizerJson) {
        LlamaConfig llm = TinyBundles.llm(tokenizerJson);
        ClipVisionConfig vision = visionConfig();
        ObjectNode config = LlamaConfigs.toHfJson(llm);
        config.putArray("architectures").add("LlavaMiniLlamaForCausalLM");
        config.put("model_type", "llava_mini");
        config.set("vision_config", ClipVisionConfigs.toHfJson(vision));
        config.put("mm_vision_select_layer", ClipVisionConfigs.DEFAULT_SELECT_LAYER);
        config.put("mm_vision_select_feature", "patch");
        config.put("mm_projector_type", "mlp2x_gelu");
        config.put("mm_hidden_size", vision.hiddenSize());
        SETTINGS.writeTo(config);
        ModelManifest manifest = new ModelManifest(ModelManifest.SCHEMA, Architecture.LLAVA_MINI, "tiny-llava-mini",
                "plain", llm.eosTokenIds(), List.of(), DType.F32, null);
        return TinyBundles.write(dir, config, manifest, weights(llm, vision, seed), tokenizerJson);
    }

    private static InMemoryTensors weights(LlamaConfig llm, ClipVisionConfig vision, long seed) {
        InMemoryTensors all = InMemoryTensors.copyOf(TinyLlama.weights(llm, seed));
        LlamaConfig fusion = new LlamaConfig(llm.vocabSize(), llm.hiddenSize(), llm.intermediateSize(),
                SETTINGS.prefusionLayers(), llm.numHeads(), llm.numKvHeads(), llm.headDim(), llm.rmsNormEps(),
                llm.ropeTheta(), llm.ropeScaling(), llm.tieWordEmbeddings(), llm.maxPositionEmbeddings(),
                llm.bosTokenId(), llm.eosTokenIds());
        InMemoryTensors layers = TinyLlama.weights(fusion, seed + 1);
        for (String name : layers.names()) {
            if (name.startsWith("model.layers.")) {
                all.put(PreFusion.DEFAULT_PREFIX + name.substring("model.layers.".length()), layers.floats(name),
                        layers.info(name).shape());
            }
        }
        TinyClipWeights.addPrefixed(all, TinyClipWeights.tower(vision, seed),
                "model.vision_tower.vision_tower.vision_model.");
        InMemoryTensors projector = TinyClipWeights.projector(vision.hiddenSize(), llm.hiddenSize(), seed);
        for (String name : projector.names()) {
            String stored = name.replace("linear_1.", "model.mm_projector.0.").replace("linear_2.", "model.mm_projector.2.");
            all.put(stored, projector.floats(name), projector.info(name).shape());
        }
        compressor(all, CompressorWeights.DEFAULT_PREFIX, SETTINGS.compressorSize(), vision.hiddenSize(), seed);
        return all;
    }

    /** {@code pos_embed} is left out: the compressor recomputes the frozen sin-cos table. */
    private static void compressor(InMemoryTensors t, String prefix, int side, int d, long seed) {
        SplittableRandom r = new SplittableRandom(seed ^ 0x436f6d7072657373L);
        long q = (long) side * side;
        t.put(prefix + CompressorWeights.QUERY, uniform(r, q * d, 1), q, d);
        for (String ln : new String[] {CompressorWeights.LN_Q, CompressorWeights.LN_KV}) {
            t.put(prefix + ln + "weight", around1(r, d), d);
            t.put(prefix + ln + "bias", uniform(r, d, 25), d);
        }
        t.put(prefix + CompressorWeights.IN_PROJ_WEIGHT, uniform(r, 3L * d * d, d), 3L * d, d);
        t.put(prefix + CompressorWeights.IN_PROJ_BIAS, uniform(r, 3L * d, 25), 3L * d);
        t.put(prefix + CompressorWeights.OUT_PROJ + "weight", uniform(r, (long) d * d, d), d, d);
        t.put(prefix + CompressorWeights.OUT_PROJ + "bias", uniform(r, d, 25), d);
    }

    private static float[] uniform(SplittableRandom r, long n, long fanIn) {
        double bound = Math.sqrt(3.0 / fanIn);
        float[] out = new float[Math.toIntExact(n)];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) r.nextDouble(-bound, bound);
        }
        return out;
    }

    private static float[] around1(SplittableRandom r, long n) {
        float[] out = new float[Math.toIntExact(n)];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (1 + r.nextDouble(-0.2, 0.2));
        }
        return out;
    }
}

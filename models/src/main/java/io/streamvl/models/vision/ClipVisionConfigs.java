package io.streamvl.models.vision;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamvl.models.ModelFormatException;

/**
 * Reads and writes HF {@code CLIPVisionConfig} JSON, and LLaVA's choice of feature layer. Absent keys
 * take HF's class defaults (ViT-B/32), as transformers does: LLaVA saves {@code vision_config} as a
 * diff against them.
 */
public final class ClipVisionConfigs {
    private static final String SOURCE = "config.json";
    /** LLaVA's {@code mm_vision_select_layer} default and every released LLaVA's choice. */
    public static final int DEFAULT_SELECT_LAYER = -2;

    private ClipVisionConfigs() {}

    /**
     * The vision tower of a {@code CLIPVisionConfig}, of the {@code vision_config} of a {@code CLIPConfig}
     * or HF LLaVA config, or, for original LLaVA / LLaVA-Mini configs that only name the tower in
     * {@code mm_vision_tower}, of the known OpenAI ViT-L/14 towers.
     */
    public static ClipVisionConfig fromHf(JsonNode config) {
        JsonNode vision = config.get("vision_config");
        if (vision != null && vision.isObject()) {
            return parse(vision, "vision_config.");
        }
        if ("clip_vision_model".equals(config.path("model_type").asText()) || config.has("patch_size")) {
            return parse(config, "");
        }
        if (config.hasNonNull("mm_vision_tower")) {
            return known(config.get("mm_vision_tower").asText());
        }
        throw bad("no vision tower: neither vision_config, a CLIP vision config, nor mm_vision_tower");
    }

    /**
     * HF's {@code hidden_states} index the model uses as its image features: {@code vision_feature_layer}
     * (HF LLaVA) or {@code mm_vision_select_layer} (original LLaVA), default -2. Configs that keep the
     * class token ({@code full} / {@code cls_patch}) are rejected: every released checkpoint drops it.
     */
    public static int selectLayer(JsonNode config) {
        String strategy = config.path("vision_feature_select_strategy").asText("default");
        String feature = config.path("mm_vision_select_feature").asText("patch");
        if (!strategy.equals("default") || !feature.equals("patch")) {
            throw bad("only patch features (class token dropped) are supported, got vision_feature_select_strategy="
                    + strategy + " mm_vision_select_feature=" + feature);
        }
        for (String key : new String[] {"vision_feature_layer", "mm_vision_select_layer"}) {
            JsonNode v = config.get(key);
            if (v != null && !v.isNull()) {
                if (!v.isIntegralNumber() || !v.canConvertToInt()) {
                    throw bad(key + " must be one integer, got " + v);
                }
                return v.intValue();
            }
        }
        return DEFAULT_SELECT_LAYER;
    }

    /** The HF JSON for {@code config}, as our own bundles write it (standalone or as {@code vision_config}). */
    public static ObjectNode toHfJson(ClipVisionConfig config) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.putArray("architectures").add("CLIPVisionModel");
        json.put("model_type", "clip_vision_model");
        json.put("hidden_size", config.hiddenSize());
        json.put("intermediate_size", config.intermediateSize());
        json.put("num_hidden_layers", config.numLayers());
        json.put("num_attention_heads", config.numHeads());
        json.put("num_channels", ClipVisionConfig.CHANNELS);
        json.put("image_size", config.imageSize());
        json.put("patch_size", config.patchSize());
        json.put("layer_norm_eps", config.layerNormEps());
        json.put("hidden_act", config.hiddenAct());
        return json;
    }

    private static ClipVisionConfig parse(JsonNode c, String prefix) {
        String type = c.path("model_type").asText("clip_vision_model");
        if (!type.equals("clip_vision_model")) {
            throw bad(prefix + "model_type " + type + " is not a CLIP vision tower (clip_vision_model)");
        }
        int channels = positiveInt(c, prefix, "num_channels", ClipVisionConfig.CHANNELS);
        if (channels != ClipVisionConfig.CHANNELS) {
            throw bad(prefix + "num_channels must be 3 (RGB), got " + channels);
        }
        double eps = c.hasNonNull("layer_norm_eps") ? c.get("layer_norm_eps").asDouble() : 1e-5;
        if (!(eps > 0)) {
            throw bad(prefix + "layer_norm_eps must be positive, got " + c.get("layer_norm_eps"));
        }
        try {
            return new ClipVisionConfig(
                    positiveInt(c, prefix, "hidden_size", 768),
                    positiveInt(c, prefix, "intermediate_size", 3072),
                    positiveInt(c, prefix, "num_hidden_layers", 12),
                    positiveInt(c, prefix, "num_attention_heads", 12),
                    positiveInt(c, prefix, "image_size", 224),
                    positiveInt(c, prefix, "patch_size", 32),
                    eps,
                    c.path("hidden_act").asText(ClipVisionConfig.QUICK_GELU));
        } catch (ModelFormatException e) {
            throw bad(e.getMessage());
        }
    }

    private static ClipVisionConfig known(String tower) {
        String name = tower.replaceAll("/+$", "");
        if (name.endsWith("clip-vit-large-patch14-336")) {
            return ClipVisionConfig.vitL14x336();
        }
        if (name.endsWith("clip-vit-large-patch14")) {
            return new ClipVisionConfig(1024, 4096, 24, 16, 224, 14, 1e-5, ClipVisionConfig.QUICK_GELU);
        }
        throw bad("mm_vision_tower " + tower + " is not a known CLIP tower (clip-vit-large-patch14[-336]); "
                + "add its CLIPVisionConfig as vision_config");
    }

    private static int positiveInt(JsonNode c, String prefix, String key, int defaultValue) {
        JsonNode v = c.get(key);
        if (v == null || v.isNull()) {
            return defaultValue;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() <= 0) {
            throw bad(prefix + key + " must be a positive integer, got " + v);
        }
        return v.intValue();
    }

    private static ModelFormatException bad(String message) {
        return new ModelFormatException(SOURCE + ": " + message);
    }
}

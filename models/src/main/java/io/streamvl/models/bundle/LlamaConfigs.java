package io.streamvl.models.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamvl.models.ModelFormatException;
import io.streamvl.models.llama.LlamaConfig;
import io.streamvl.models.llama.RopeScaling;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and writes HF {@code LlamaConfig} JSON. Absent keys take HF's class defaults, as
 * transformers does: nested LLaVA {@code text_config} objects are saved as a diff against those
 * defaults, so a LLaVA-1.5 config may omit even {@code hidden_size}.
 */
public final class LlamaConfigs {
    private static final String SOURCE = "config.json";

    private LlamaConfigs() {}

    /** Parses a LLaMA config, or the {@code text_config} of a LLaVA-style one. */
    public static LlamaConfig fromHf(JsonNode config) {
        JsonNode c = textConfig(config);
        int hidden = positiveInt(c, "hidden_size", 4096);
        int heads = positiveInt(c, "num_attention_heads", 32);
        int kvHeads = positiveInt(c, "num_key_value_heads", heads);
        if (heads % kvHeads != 0) {
            throw bad("num_attention_heads " + heads + " is not a multiple of num_key_value_heads " + kvHeads);
        }
        if (!present(c, "head_dim") && hidden % heads != 0) {
            throw bad("hidden_size " + hidden + " is not a multiple of num_attention_heads " + heads
                    + " and head_dim is not given");
        }
        int headDim = positiveInt(c, "head_dim", hidden / heads);
        String act = present(c, "hidden_act") ? c.get("hidden_act").asText() : "silu";
        if (!act.equals("silu")) {
            throw bad("unsupported hidden_act " + act + " (LLaMA uses silu)");
        }
        if (c.path("mlp_bias").asBoolean(false)) {
            throw bad("unsupported mlp_bias true");
        }
        return new LlamaConfig(
                positiveInt(c, "vocab_size", 32000),
                hidden,
                positiveInt(c, "intermediate_size", 11008),
                positiveInt(c, "num_hidden_layers", 32),
                heads,
                kvHeads,
                headDim,
                positiveDouble(c, "rms_norm_eps", 1e-6),
                positiveDouble(c, "rope_theta", 10000),
                ropeScaling(c.get("rope_scaling")),
                bool(c, "tie_word_embeddings", false),
                positiveInt(c, "max_position_embeddings", 2048),
                tokenId(c, "bos_token_id", 1),
                eosTokenIds(config));
    }

    /** The LLM part of a config: {@code text_config} when present (HF LLaVA), else the config itself. */
    public static JsonNode textConfig(JsonNode config) {
        JsonNode text = config.get("text_config");
        return text != null && text.isObject() ? text : config;
    }

    /** {@code eos_token_id} as a list (HF allows an int or a list); empty when null. Default 2, as HF. */
    public static List<Integer> eosTokenIds(JsonNode config) {
        JsonNode c = textConfig(config);
        JsonNode eos = c.get("eos_token_id");
        if (eos == null) {
            return List.of(2);
        }
        if (eos.isNull()) {
            return List.of();
        }
        if (eos.isIntegralNumber()) {
            return List.of(eos.intValue());
        }
        if (!eos.isArray()) {
            throw bad("eos_token_id must be an integer or a list of integers, got " + eos);
        }
        List<Integer> ids = new ArrayList<>();
        for (JsonNode id : eos) {
            if (!id.isIntegralNumber()) {
                throw bad("eos_token_id must be an integer or a list of integers, got " + eos);
            }
            ids.add(id.intValue());
        }
        return List.copyOf(ids);
    }

    /** The HF JSON for {@code config}, as our own checkpoints write it to {@code config.json}. */
    public static ObjectNode toHfJson(LlamaConfig config) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.putArray("architectures").add("LlamaForCausalLM");
        json.put("model_type", "llama");
        json.put("vocab_size", config.vocabSize());
        json.put("hidden_size", config.hiddenSize());
        json.put("intermediate_size", config.intermediateSize());
        json.put("num_hidden_layers", config.numLayers());
        json.put("num_attention_heads", config.numHeads());
        json.put("num_key_value_heads", config.numKvHeads());
        json.put("head_dim", config.headDim());
        json.put("hidden_act", "silu");
        json.put("rms_norm_eps", config.rmsNormEps());
        json.put("rope_theta", config.ropeTheta());
        RopeScaling rope = config.ropeScaling();
        if (rope == null) {
            json.putNull("rope_scaling");
        } else {
            ObjectNode r = json.putObject("rope_scaling");
            r.put("rope_type", rope.type());
            r.put("factor", rope.factor());
            r.put("low_freq_factor", rope.lowFreqFactor());
            r.put("high_freq_factor", rope.highFreqFactor());
            r.put("original_max_position_embeddings", rope.originalMaxPositionEmbeddings());
        }
        json.put("tie_word_embeddings", config.tieWordEmbeddings());
        json.put("max_position_embeddings", config.maxPositionEmbeddings());
        json.put("attention_bias", false);
        json.put("mlp_bias", false);
        if (config.bosTokenId() < 0) {
            json.putNull("bos_token_id");
        } else {
            json.put("bos_token_id", config.bosTokenId());
        }
        List<Integer> eos = config.eosTokenIds();
        if (eos.isEmpty()) {
            json.putNull("eos_token_id");
        } else if (eos.size() == 1) {
            json.put("eos_token_id", eos.get(0));
        } else {
            eos.forEach(json.putArray("eos_token_id")::add);
        }
        return json;
    }

    private static RopeScaling ropeScaling(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw bad("rope_scaling must be an object or null, got " + node);
        }
        String type = node.hasNonNull("rope_type") ? node.get("rope_type").asText() : node.path("type").asText("");
        if (type.equals("default")) {
            return null;
        }
        if (!type.equals("llama3")) {
            throw bad("unsupported rope_scaling type " + (type.isEmpty() ? "(none given)" : type)
                    + " (supported: llama3)");
        }
        return new RopeScaling(type,
                requiredPositive(node, "rope_scaling.", "factor"),
                requiredPositive(node, "rope_scaling.", "low_freq_factor"),
                requiredPositive(node, "rope_scaling.", "high_freq_factor"),
                (int) requiredPositive(node, "rope_scaling.", "original_max_position_embeddings"));
    }

    private static double requiredPositive(JsonNode node, String prefix, String key) {
        if (!present(node, key)) {
            throw bad(prefix + key + " is missing");
        }
        return positiveDouble(node, key, 0, prefix);
    }

    private static boolean present(JsonNode c, String key) {
        return c.hasNonNull(key);
    }

    private static int positiveInt(JsonNode c, String key, int defaultValue) {
        if (!present(c, key)) {
            return defaultValue;
        }
        JsonNode v = c.get(key);
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() <= 0) {
            throw bad(key + " must be a positive integer, got " + v);
        }
        return v.intValue();
    }

    private static int tokenId(JsonNode c, String key, int defaultValue) {
        JsonNode v = c.get(key);
        if (v == null) {
            return defaultValue;
        }
        if (v.isNull()) {
            return -1;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < 0) {
            throw bad(key + " must be a token id, got " + v);
        }
        return v.intValue();
    }

    private static double positiveDouble(JsonNode c, String key, double defaultValue) {
        return positiveDouble(c, key, defaultValue, "");
    }

    private static double positiveDouble(JsonNode c, String key, double defaultValue, String prefix) {
        if (!present(c, key)) {
            return defaultValue;
        }
        JsonNode v = c.get(key);
        if (!v.isNumber() || !(v.doubleValue() > 0) || Double.isInfinite(v.doubleValue())) {
            throw bad(prefix + key + " must be a positive number, got " + v);
        }
        return v.doubleValue();
    }

    private static boolean bool(JsonNode c, String key, boolean defaultValue) {
        if (!present(c, key)) {
            return defaultValue;
        }
        if (!c.get(key).isBoolean()) {
            throw bad(key + " must be true or false, got " + c.get(key));
        }
        return c.get(key).booleanValue();
    }

    private static ModelFormatException bad(String message) {
        return new ModelFormatException(SOURCE + ": " + message);
    }
}

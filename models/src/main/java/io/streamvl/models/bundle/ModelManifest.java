package io.streamvl.models.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamvl.models.ModelFormatException;
import io.streamvl.models.text.PromptTemplate;
import io.streamvl.models.weights.DType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * streamvl's own manifest, {@value ModelBundle#MANIFEST} in a bundle directory: what the HF files
 * do not say about how to run the model. Schema 1:
 *
 * <pre>{@code
 * {
 *   "schema": 1,                         // required; only 1 exists
 *   "architecture": "llava-mini",        // required: "llama" | "llava" | "llava-mini"
 *   "name": "LLaVA-Mini 8B",             // optional display name
 *   "promptTemplate": "llama-3.1",       // optional: "llama-3.1" | "vicuna-v1" | "plain"; default "plain"
 *   "stopTokenIds": [128001, 128009],    // optional; default config.json's eos_token_id
 *   "stopStrings": ["</s>"],             // optional; default none
 *   "computeDtype": "F32"                // optional: "F32" | "F16" | "BF16"; default F32
 * }
 * }</pre>
 *
 * Other keys are kept in {@link #json()} for the architecture's own settings (vision tower, projector,
 * compression), read by the code that builds that architecture. Without a manifest the bundle gets an
 * inferred one (see {@link #infer}).
 *
 * @param json the manifest as read, or as inferred
 */
public record ModelManifest(int schema, Architecture architecture, String name, String promptTemplate,
        List<Integer> stopTokenIds, List<String> stopStrings, DType computeDtype, JsonNode json) {
    public static final int SCHEMA = 1;
    private static final Set<DType> COMPUTE_DTYPES = Set.of(DType.F32, DType.F16, DType.BF16);

    public ModelManifest {
        stopTokenIds = List.copyOf(stopTokenIds);
        stopStrings = List.copyOf(stopStrings);
    }

    /**
     * @param config the bundle's {@code config.json}, for the default stop tokens
     * @param source the file name for messages
     */
    public static ModelManifest parse(JsonNode manifest, JsonNode config, String source) {
        if (manifest == null || !manifest.isObject()) {
            throw new ModelFormatException(source + ": not a JSON object");
        }
        JsonNode schema = manifest.get("schema");
        if (schema == null || !schema.isIntegralNumber() || schema.intValue() != SCHEMA) {
            throw new ModelFormatException(source + ": \"schema\" must be " + SCHEMA + ", got " + schema);
        }
        JsonNode arch = manifest.get("architecture");
        if (arch == null || !arch.isTextual()) {
            throw new ModelFormatException(source + ": \"architecture\" is missing (one of llama, llava, llava-mini)");
        }
        Architecture architecture = Architecture.fromId(arch.textValue(), source);
        String template = text(manifest, "promptTemplate", "plain", source);
        try {
            PromptTemplate.forName(template);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(source + ": " + e.getMessage());
        }
        List<Integer> stopIds = manifest.has("stopTokenIds")
                ? ints(manifest.get("stopTokenIds"), source)
                : LlamaConfigs.eosTokenIds(config);
        List<String> stopStrings = manifest.has("stopStrings") ? strings(manifest.get("stopStrings"), source) : List.of();
        String dtypeName = text(manifest, "computeDtype", "F32", source);
        DType dtype = COMPUTE_DTYPES.stream().filter(d -> d.name().equals(dtypeName)).findFirst()
                .orElseThrow(() -> new ModelFormatException(
                        source + ": computeDtype must be F32, F16 or BF16, got '" + dtypeName + "'"));
        return new ModelManifest(SCHEMA, architecture, text(manifest, "name", null, source), template, stopIds,
                stopStrings, dtype, manifest);
    }

    /**
     * The manifest of a bundle that has none: the architecture from {@code config.json}, the prompt
     * template from the tokenizer's chat template (Llama 3 headers or Vicuna's USER/ASSISTANT), the
     * stop tokens from {@code eos_token_id}, F32.
     */
    public static ModelManifest infer(JsonNode config, JsonNode tokenizerConfig) {
        Architecture architecture = Architecture.fromHfConfig(config, ModelBundle.CONFIG);
        String chatTemplate = tokenizerConfig == null ? "" : tokenizerConfig.path("chat_template").asText("");
        String template = chatTemplate.contains("<|start_header_id|>") ? "llama-3.1"
                : chatTemplate.contains("ASSISTANT:") ? "vicuna-v1"
                : "plain";
        ModelManifest draft = new ModelManifest(SCHEMA, architecture, null, template,
                LlamaConfigs.eosTokenIds(config), List.of(), DType.F32, null);
        return draft.withJson(draft.toJson());
    }

    /** The manifest as JSON; extra keys of {@link #json()} are kept. */
    public ObjectNode toJson() {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("schema", schema);
        out.put("architecture", architecture.id());
        if (name != null) {
            out.put("name", name);
        }
        out.put("promptTemplate", promptTemplate);
        stopTokenIds.forEach(out.putArray("stopTokenIds")::add);
        stopStrings.forEach(out.putArray("stopStrings")::add);
        out.put("computeDtype", computeDtype.name());
        if (json != null) {
            for (Map.Entry<String, JsonNode> f : json.properties()) {
                if (!out.has(f.getKey())) {
                    out.set(f.getKey(), f.getValue());
                }
            }
        }
        return out;
    }

    private ModelManifest withJson(JsonNode newJson) {
        return new ModelManifest(schema, architecture, name, promptTemplate, stopTokenIds, stopStrings, computeDtype,
                newJson);
    }

    private static String text(JsonNode manifest, String key, String defaultValue, String source) {
        JsonNode v = manifest.get(key);
        if (v == null || v.isNull()) {
            return defaultValue;
        }
        if (!v.isTextual()) {
            throw new ModelFormatException(source + ": \"" + key + "\" must be a string, got " + v);
        }
        return v.textValue();
    }

    private static List<Integer> ints(JsonNode node, String source) {
        List<Integer> out = new ArrayList<>();
        if (node.isArray()) {
            for (JsonNode v : node) {
                if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < 0) {
                    break;
                }
                out.add(v.intValue());
            }
        }
        if (!node.isArray() || out.size() != node.size()) {
            throw new ModelFormatException(source + ": \"stopTokenIds\" must be a list of token ids, got " + node);
        }
        return out;
    }

    private static List<String> strings(JsonNode node, String source) {
        List<String> out = new ArrayList<>();
        if (node.isArray()) {
            for (JsonNode v : node) {
                if (!v.isTextual()) {
                    break;
                }
                out.add(v.textValue());
            }
        }
        if (!node.isArray() || out.size() != node.size()) {
            throw new ModelFormatException(source + ": \"stopStrings\" must be a list of strings, got " + node);
        }
        return out;
    }
}

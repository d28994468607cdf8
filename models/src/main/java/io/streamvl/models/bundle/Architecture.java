package io.streamvl.models.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamvl.models.ModelFormatException;
import java.util.ArrayList;
import java.util.List;

/** The model families streamvl can build, by their manifest id. */
public enum Architecture {
    /** A text-only LLaMA decoder ({@code LlamaForCausalLM}). */
    LLAMA("llama"),
    /** LLaVA-1.5/1.6: CLIP vision tower, MLP projector, LLaMA/Vicuna decoder (TS-LLaVA). */
    LLAVA("llava"),
    /** LLaVA-Mini: LLaVA with query-based compression of the vision tokens. */
    LLAVA_MINI("llava-mini");

    private final String id;

    Architecture(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static Architecture fromId(String id, String source) {
        for (Architecture a : values()) {
            if (a.id.equals(id)) {
                return a;
            }
        }
        throw new ModelFormatException(source + ": unknown architecture '" + id + "' (supported: " + ids() + ")");
    }

    /**
     * Guesses the architecture from HF {@code config.json} when a bundle has no manifest: first
     * {@code architectures}, then {@code model_type}.
     */
    public static Architecture fromHfConfig(JsonNode config, String source) {
        List<String> seen = new ArrayList<>();
        for (JsonNode name : config.path("architectures")) {
            seen.add(name.asText());
            Architecture a = fromHfClass(name.asText());
            if (a != null) {
                return a;
            }
        }
        String modelType = config.path("model_type").asText("");
        switch (modelType) {
            case "llama":
                return LLAMA;
            case "llava":
            case "llava_llama":
                return LLAVA;
            case "llava_mini":
                return LLAVA_MINI;
            default:
                if (!modelType.isEmpty()) {
                    seen.add("model_type " + modelType);
                }
                throw new ModelFormatException(source + ": unknown architecture "
                        + (seen.isEmpty() ? "(no \"architectures\" or \"model_type\")" : String.join(", ", seen))
                        + "; supported: " + ids() + " (a streamvl-model.json manifest can name it)");
        }
    }

    private static Architecture fromHfClass(String hfClass) {
        if (hfClass.equals("LlamaForCausalLM")) {
            return LLAMA;
        }
        if (hfClass.startsWith("LlavaMini")) {
            return LLAVA_MINI;
        }
        if (hfClass.equals("LlavaForConditionalGeneration") || hfClass.equals("LlavaLlamaForCausalLM")
                || hfClass.equals("LlavaNextForConditionalGeneration")) {
            return LLAVA;
        }
        return null;
    }

    private static String ids() {
        List<String> ids = new ArrayList<>();
        for (Architecture a : values()) {
            ids.add(a.id);
        }
        return String.join(", ", ids);
    }
}

package io.streamvl.models.tsllava;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamvl.models.ModelFormatException;
import io.streamvl.models.vision.ClipVisionConfig;

/**
 * TS-LLaVA's knobs in a {@code llava} or {@code llava-mini} bundle's manifest, under the extra key {@value #KEY}:
 * {@code {"frames": 50, "thumbnailFrames": 6, "sampledTokens": 2880}}, each optional with the paper's
 * default ({@link TsLlavaConfig#DEFAULT}). Tokens per frame and the image size are the vision tower's.
 */
public final class TsLlavaManifest {
    public static final String KEY = "tsLlava";

    private TsLlavaManifest() {}

    /** @throws ModelFormatException for a bad value, or settings the tower cannot serve */
    public static TsLlavaConfig read(JsonNode manifest, ClipVisionConfig vision) {
        JsonNode node = manifest == null ? null : manifest.get(KEY);
        if (node != null && !node.isObject()) {
            throw new ModelFormatException("streamvl-model.json: \"" + KEY + "\" must be an object, got " + node);
        }
        TsLlavaConfig d = TsLlavaConfig.DEFAULT;
        try {
            return new TsLlavaConfig(atLeast(node, "frames", d.frames(), 1),
                    atLeast(node, "thumbnailFrames", d.thumbnailFrames(), 1),
                    atLeast(node, "sampledTokens", d.sampledTokens(), 0), vision.numPatches(), vision.imageSize(),
                    vision.imageSize());
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException("streamvl-model.json: \"" + KEY + "\" does not fit the vision tower ("
                    + vision.imageSize() + "px, " + vision.numPatches() + " tokens per frame): " + e.getMessage(), e);
        }
    }

    /** The manifest entry for {@code config} (its tower-given fields left out). */
    public static ObjectNode toJson(TsLlavaConfig config) {
        return JsonNodeFactory.instance.objectNode().put("frames", config.frames())
                .put("thumbnailFrames", config.thumbnailFrames()).put("sampledTokens", config.sampledTokens());
    }

    /** {@code sampledTokens} may be 0: the thumbnail alone, which {@link TsLlavaConfig} serves. */
    private static int atLeast(JsonNode node, String key, int defaultValue, int min) {
        JsonNode v = node == null ? null : node.get(key);
        if (v == null || v.isNull()) {
            return defaultValue;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < min) {
            throw new ModelFormatException("streamvl-model.json: \"" + KEY + "." + key
                    + "\" must be an integer of at least " + min + ", got " + v);
        }
        return v.intValue();
    }
}

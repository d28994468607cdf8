package io.streamvl.models.llavamini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamvl.models.ModelFormatException;

/**
 * LLaVA-Mini's own settings in a bundle's {@code config.json}, beside the LLM's keys (the reference saves
 * its {@code ModelArguments} there):
 * <ul>
 *   <li>{@value #COMPRESSOR_SIZE}: C, the compressed grid side; C² tokens per frame (default 1, the released
 *       model). The compressor's {@code query} tensor must agree.</li>
 *   <li>{@value #PREFUSION_LAYERS}: pre-fusion decoder layers (default 4).</li>
 *   <li>{@value #COMPRESSOR_HEADS}: the compressor's attention heads (default 8). The reference hard-codes 8
 *       and the checkpoint cannot tell, so this key is streamvl's own.</li>
 *   <li>{@value #RESOLUTION_RATIO}: r, default 1. r > 1 is LLaVA-Mini-HD: each frame arrives at r times the
 *       tower's size and is seen as r×r crops plus the whole frame scaled down (see {@link HdViews}).</li>
 * </ul>
 */
public record LlavaMiniSettings(int compressorSize, int prefusionLayers, int compressorHeads, int resolutionRatio) {
    public static final String COMPRESSOR_SIZE = "compressor_size";
    public static final String PREFUSION_LAYERS = "prefusion_layer_num";
    public static final String COMPRESSOR_HEADS = "compressor_num_heads";
    public static final String RESOLUTION_RATIO = "resolution_ratio";

    public static final LlavaMiniSettings DEFAULT = new LlavaMiniSettings(1, PreFusion.DEFAULT_LAYERS, 8, 1);

    public LlavaMiniSettings {
        if (compressorSize < 1 || prefusionLayers < 1 || compressorHeads < 1 || resolutionRatio < 1) {
            throw new ModelFormatException("LLaVA-Mini settings must be positive: " + COMPRESSOR_SIZE + "="
                    + compressorSize + " " + PREFUSION_LAYERS + "=" + prefusionLayers + " " + COMPRESSOR_HEADS + "="
                    + compressorHeads + " " + RESOLUTION_RATIO + "=" + resolutionRatio);
        }
    }

    public static LlavaMiniSettings fromHf(JsonNode config) {
        return new LlavaMiniSettings(positive(config, COMPRESSOR_SIZE, DEFAULT.compressorSize),
                positive(config, PREFUSION_LAYERS, DEFAULT.prefusionLayers),
                positive(config, COMPRESSOR_HEADS, DEFAULT.compressorHeads),
                positive(config, RESOLUTION_RATIO, DEFAULT.resolutionRatio));
    }

    public LlavaMiniSettings withResolutionRatio(int r) {
        return new LlavaMiniSettings(compressorSize, prefusionLayers, compressorHeads, r);
    }

    public boolean hd() {
        return resolutionRatio > 1;
    }

    /** Tokens per frame the LLM sees: C². */
    public int tokensPerFrame() {
        return compressorSize * compressorSize;
    }

    /** Writes the keys into a {@code config.json} object. */
    public void writeTo(ObjectNode config) {
        config.put(COMPRESSOR_SIZE, compressorSize);
        config.put(PREFUSION_LAYERS, prefusionLayers);
        config.put(COMPRESSOR_HEADS, compressorHeads);
        config.put(RESOLUTION_RATIO, resolutionRatio);
    }

    private static int positive(JsonNode config, String key, int defaultValue) {
        JsonNode v = config.get(key);
        if (v == null || v.isNull()) {
            return defaultValue;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < 1) {
            throw new ModelFormatException("config.json: " + key + " must be a positive integer, got " + v);
        }
        return v.intValue();
    }
}

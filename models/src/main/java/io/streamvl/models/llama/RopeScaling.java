package io.streamvl.models.llama;

/**
 * HF {@code rope_scaling} of type {@code llama3} (Llama 3.1): frequencies below the low-frequency
 * wavelength bound are divided by {@code factor}, those above the high-frequency bound kept, the
 * band between interpolated smoothly.
 */
public record RopeScaling(String type, double factor, double lowFreqFactor, double highFreqFactor,
        int originalMaxPositionEmbeddings) {}

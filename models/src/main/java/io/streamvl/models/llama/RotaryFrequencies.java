package io.streamvl.models.llama;

/** The rotary inverse frequencies of HF {@code LlamaRotaryEmbedding}, including the {@code llama3} rescaling. */
final class RotaryFrequencies {
    private RotaryFrequencies() {}

    /** {@code headDim / 2} values; rotation angle of pair i at position p is {@code p * invFreq[i]}. */
    static float[] inverseFrequencies(LlamaConfig config) {
        int half = config.headDim() / 2;
        double[] inv = new double[half];
        for (int i = 0; i < half; i++) {
            inv[i] = 1.0 / Math.pow(config.ropeTheta(), (2.0 * i) / config.headDim());
        }
        RopeScaling scaling = config.ropeScaling();
        if (scaling != null) {
            if (!"llama3".equals(scaling.type())) {
                throw new IllegalArgumentException("unsupported rope_scaling type '" + scaling.type()
                        + "' (only llama3 is implemented)");
            }
            applyLlama3(inv, scaling);
        }
        float[] out = new float[half];
        for (int i = 0; i < half; i++) {
            out[i] = (float) inv[i];
        }
        return out;
    }

    private static void applyLlama3(double[] inv, RopeScaling s) {
        double lowFreqWavelen = s.originalMaxPositionEmbeddings() / s.lowFreqFactor();
        double highFreqWavelen = s.originalMaxPositionEmbeddings() / s.highFreqFactor();
        for (int i = 0; i < inv.length; i++) {
            double wavelen = 2 * Math.PI / inv[i];
            if (wavelen > lowFreqWavelen) {
                inv[i] = inv[i] / s.factor();
            } else if (wavelen >= highFreqWavelen) {
                double smooth = (s.originalMaxPositionEmbeddings() / wavelen - s.lowFreqFactor())
                        / (s.highFreqFactor() - s.lowFreqFactor());
                inv[i] = (1 - smooth) * inv[i] / s.factor() + smooth * inv[i];
            }
        }
    }
}

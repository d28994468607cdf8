package io.streamvl.models.llama;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Picks the next token from logits: argmax, or temperature / top-k / top-p sampling. */
final class Sampler {
    private Sampler() {}

    static int pick(float[] logits, GenerationConfig config, SplittableRandom random) {
        return config.isGreedy() ? argmax(logits) : sample(logits, config, random);
    }

    /** The first maximum, as {@code torch.argmax}. */
    static int argmax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }

    private static int sample(float[] logits, GenerationConfig config, SplittableRandom random) {
        int[] order = byLogitDescending(logits);
        int n = config.topK() > 0 ? Math.min(config.topK(), order.length) : order.length;
        double max = logits[order[0]];
        double[] p = new double[n];
        double total = 0;
        for (int i = 0; i < n; i++) {
            p[i] = Math.exp((logits[order[i]] - max) / config.temperature());
            total += p[i];
        }
        if (config.topP() < 1) {
            // Smallest prefix whose probability reaches top_p; always at least the best token.
            double cumulative = 0;
            int keep = 0;
            while (keep < n && cumulative < config.topP() * total) {
                cumulative += p[keep++];
            }
            n = Math.max(1, keep);
            total = cumulative;
        }
        double r = random.nextDouble() * total;
        for (int i = 0; i < n; i++) {
            r -= p[i];
            if (r < 0) {
                return order[i];
            }
        }
        return order[n - 1];
    }

    /** Token ids sorted by logit, highest first, ties by lower id; one primitive sort of packed keys. */
    private static int[] byLogitDescending(float[] logits) {
        long[] keys = new long[logits.length];
        for (int i = 0; i < logits.length; i++) {
            int bits = Float.floatToIntBits(logits[i]);
            int ordered = bits >= 0 ? bits : bits ^ 0x7FFFFFFF;
            keys[i] = ((long) ~ordered << 32) | i;
        }
        Arrays.sort(keys);
        int[] order = new int[logits.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = (int) keys[i];
        }
        return order;
    }
}

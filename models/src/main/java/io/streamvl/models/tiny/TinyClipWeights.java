package io.streamvl.models.tiny;

import io.streamvl.models.vision.ClipVisionConfig;
import io.streamvl.models.vision.ClipVisionWeights;
import io.streamvl.models.vision.ProjectorWeights;
import io.streamvl.models.weights.InMemoryTensors;
import io.streamvl.models.weights.TensorSource;
import java.util.SplittableRandom;

/**
 * Seeded random CLIP vision towers and mlp2x_gelu projectors under HF names, for the tiny bundles and
 * the tests. Each tensor draws from its own seed (the given seed mixed with its name). Scales keep
 * activations near unit variance, with q/k wide enough that attention is far from uniform, so a wrong
 * head split or patch order shows.
 */
public final class TinyClipWeights {
    private TinyClipWeights() {}

    /** Every tensor of the tower's layers (post-layernorm excluded: LLaVA never reads it), unprefixed. */
    public static InMemoryTensors tower(ClipVisionConfig config, long seed) {
        InMemoryTensors tensors = new InMemoryTensors();
        ClipVisionWeights.expected(config, config.numLayers())
                .forEach((name, shape) -> tensors.put(name, values(name, shape, seed), shape));
        return tensors;
    }

    /** Projector {@code linear_1} {@code [out, in]} and {@code linear_2} {@code [out, out]} with biases. */
    public static InMemoryTensors projector(int in, int out, long seed) {
        InMemoryTensors tensors = new InMemoryTensors();
        ProjectorWeights.expected(in, out).forEach((name, shape) -> tensors.put(name, values(name, shape, seed), shape));
        return tensors;
    }

    /** Adds {@code source}'s tensors with {@code prefix} in front to {@code target}. */
    public static InMemoryTensors addPrefixed(InMemoryTensors target, TensorSource source, String prefix) {
        for (String name : source.names()) {
            target.put(prefix + name, source.floats(name), source.info(name).shape());
        }
        return target;
    }

    private static float[] values(String name, long[] shape, long seed) {
        SplittableRandom random = new SplittableRandom(seed ^ (name.hashCode() * 0x9E3779B97F4A7C15L));
        int n = 1;
        for (long d : shape) {
            n *= (int) d;
        }
        float[] v = new float[n];
        boolean normWeight = (name.contains("norm") || name.contains("layrnorm")) && name.endsWith(".weight");
        if (shape.length == 1) {
            double base = normWeight ? 1 : 0;
            double spread = normWeight ? 0.2 : name.equals("embeddings.class_embedding") ? 1 : 0.1;
            for (int i = 0; i < n; i++) {
                v[i] = (float) (base + random.nextDouble(-spread, spread));
            }
            return v;
        }
        long fanIn = n / shape[0];
        double bound = Math.sqrt(3.0 / fanIn);
        if (name.contains("q_proj") || name.contains("k_proj")) {
            bound *= 2;
        } else if (name.contains("position_embedding")) {
            bound = 0.5;
        }
        for (int i = 0; i < n; i++) {
            v[i] = (float) random.nextDouble(-bound, bound);
        }
        return v;
    }
}

package io.streamvl.models.vision;

import io.streamvl.models.weights.RandomTensors;
import io.streamvl.models.weights.TensorInfo;
import java.util.SplittableRandom;

/**
 * Seeded random tower weights in HF names, generated on demand (nothing held), for benchmarks. Norm
 * weights near 1 and fan-in-scaled projections keep activations near unit variance through the layers.
 */
public final class RandomClipWeights extends RandomTensors {

    public RandomClipWeights(ClipVisionConfig config, int layers, long seed) {
        super(seed);
        ClipVisionWeights.expected(config, layers).forEach((name, shape) -> add(name, shape));
    }

    @Override
    protected void fill(TensorInfo info, SplittableRandom random, float[] out) {
        String name = info.name();
        boolean normWeight = name.endsWith("norm1.weight") || name.endsWith("norm2.weight")
                || name.equals("pre_layrnorm.weight");
        double base = normWeight ? 1 : 0;
        double bound = info.shape().length == 1
                ? 0.1
                : Math.sqrt(3.0 / (info.elements() / info.shape()[0]));
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (base + random.nextDouble(-bound, bound));
        }
    }
}

package io.streamvl.models.vision;

import io.streamvl.models.ModelFormatException;
import io.streamvl.models.weights.DType;
import io.streamvl.models.weights.TensorInfo;
import io.streamvl.models.weights.TensorSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Seeded random tower weights in HF names, generated on demand (nothing held), for benchmarks. Norm
 * weights near 1 and fan-in-scaled projections keep activations near unit variance through the layers.
 */
public final class RandomClipWeights implements TensorSource {
    private final Map<String, TensorInfo> infos = new LinkedHashMap<>();
    private final long seed;

    public RandomClipWeights(ClipVisionConfig config, int layers, long seed) {
        this.seed = seed;
        ClipVisionWeights.expected(config, layers).forEach((name, shape) -> infos.put(name,
                new TensorInfo(name, DType.F32, shape)));
    }

    @Override
    public Set<String> names() {
        return infos.keySet();
    }

    @Override
    public TensorInfo info(String name) {
        return infos.get(name);
    }

    @Override
    public float[] floats(String name) {
        TensorInfo info = infos.get(name);
        if (info == null) {
            throw new ModelFormatException("no tensor " + name);
        }
        SplittableRandom random = new SplittableRandom(seed ^ name.hashCode() * 0x9E3779B97F4A7C15L);
        float[] out = new float[Math.toIntExact(info.elements())];
        boolean normWeight = name.endsWith("norm1.weight") || name.endsWith("norm2.weight")
                || name.equals("pre_layrnorm.weight");
        double base = normWeight ? 1 : 0;
        double bound = info.shape().length == 1
                ? 0.1
                : Math.sqrt(3.0 / (info.elements() / info.shape()[0]));
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (base + random.nextDouble(-bound, bound));
        }
        return out;
    }
}

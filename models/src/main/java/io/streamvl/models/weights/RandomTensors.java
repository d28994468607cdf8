package io.streamvl.models.weights;

import io.streamvl.models.ModelFormatException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Seeded random tensors generated when read (nothing held), for benchmarks and tests at sizes that would
 * not fit comfortably in memory twice. Each tensor draws from its own generator (the seed mixed with its
 * name), so its values do not depend on which other tensors exist or in which order they are read.
 */
public abstract class RandomTensors implements TensorSource {
    private final Map<String, TensorInfo> infos = new LinkedHashMap<>();
    private final long seed;

    protected RandomTensors(long seed) {
        this.seed = seed;
    }

    protected final void add(String name, long... shape) {
        infos.put(name, new TensorInfo(name, DType.F32, shape));
    }

    /** Fills {@code out} (the tensor's elements, row-major) with values of a sensible scale for {@code info}. */
    protected abstract void fill(TensorInfo info, SplittableRandom random, float[] out);

    @Override
    public final Set<String> names() {
        return infos.keySet();
    }

    @Override
    public final TensorInfo info(String name) {
        return infos.get(name);
    }

    @Override
    public final float[] floats(String name) {
        TensorInfo info = infos.get(name);
        if (info == null) {
            throw new ModelFormatException("no tensor " + name);
        }
        float[] out = new float[Math.toIntExact(info.elements())];
        fill(info, new SplittableRandom(seed ^ name.hashCode() * 0x9E3779B97F4A7C15L), out);
        return out;
    }
}

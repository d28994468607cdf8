package io.streamvl.models.weights;

import io.streamvl.models.ModelFormatException;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Float32 tensors held in arrays, in insertion order: weights built by tests and by training before
 * they are written with {@link SafetensorsWriter}.
 */
public final class InMemoryTensors implements TensorSource {
    private record Tensor(TensorInfo info, float[] data) {}

    private final Map<String, Tensor> tensors = new LinkedHashMap<>();

    /** Adds or replaces a tensor; the array is kept, not copied. */
    public InMemoryTensors put(String name, float[] data, long... shape) {
        TensorInfo info = new TensorInfo(name, DType.F32, shape.clone());
        if (info.elements() != data.length) {
            throw new IllegalArgumentException(
                    "tensor '" + name + "': shape " + Arrays.toString(shape) + " needs " + info.elements()
                            + " elements, got " + data.length);
        }
        tensors.put(name, new Tensor(info, data));
        return this;
    }

    /** Reads every floating tensor of {@code source} into memory. */
    public static InMemoryTensors copyOf(TensorSource source) {
        InMemoryTensors copy = new InMemoryTensors();
        for (String name : source.names()) {
            copy.put(name, source.floats(name), source.info(name).shape());
        }
        return copy;
    }

    @Override
    public Set<String> names() {
        return Collections.unmodifiableSet(tensors.keySet());
    }

    @Override
    public TensorInfo info(String name) {
        Tensor t = tensors.get(name);
        return t == null ? null : t.info();
    }

    /** A copy, so callers cannot change the held weights by accident. */
    @Override
    public float[] floats(String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new ModelFormatException("in-memory tensors: no tensor '" + name + "'");
        }
        return t.data().clone();
    }
}

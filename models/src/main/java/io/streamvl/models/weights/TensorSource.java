package io.streamvl.models.weights;

import java.util.Set;

/**
 * Named tensors of a checkpoint, read on demand. Implementations: safetensors files (memory-mapped,
 * single or sharded) and in-memory maps (tests, training output).
 */
public interface TensorSource extends AutoCloseable {
    Set<String> names();

    /** Null when there is no tensor of that name. */
    TensorInfo info(String name);

    /**
     * The tensor's elements converted to float32, row-major.
     *
     * @throws io.streamvl.models.ModelFormatException when the tensor is missing or not floating point
     */
    float[] floats(String name);

    @Override
    default void close() {}
}

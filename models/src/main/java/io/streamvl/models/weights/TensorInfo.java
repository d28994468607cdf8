package io.streamvl.models.weights;

import java.util.Arrays;

/** Name, element type and shape of a checkpoint tensor. */
public record TensorInfo(String name, DType dtype, long[] shape) {
    public long elements() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    public boolean hasShape(long... expected) {
        return Arrays.equals(shape, expected);
    }

    @Override
    public String toString() {
        return name + " " + dtype + Arrays.toString(shape);
    }
}

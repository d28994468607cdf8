package io.streamvl.models.llama;

import java.util.Arrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** A rectangular prefill batch, checked against the model's limits before anything runs. */
record PrefillBatch(int size, int length, int[][] positions, int[][] mask) {

    static PrefillBatch of(int size, int length, int[][] positions, int[][] mask, LlamaModel model) {
        if (size < 1 || size > model.maxBatch()) {
            throw new IllegalArgumentException("prefill batch of " + size + " sequences; max batch " + model.maxBatch());
        }
        if (length < 1) {
            throw new IllegalArgumentException("empty prompt");
        }
        if (length > model.contextLength()) {
            throw new IllegalArgumentException("prompt of " + length + " tokens exceeds the context of "
                    + model.contextLength() + " (max_position_embeddings " + model.config().maxPositionEmbeddings()
                    + ", cache " + model.options().maxCacheLength() + ")");
        }
        checkRect("positions", positions, size, length);
        checkRect("mask", mask, size, length);
        for (int[] row : positions) {
            for (int p : row) {
                if (p < 0 || p >= model.config().maxPositionEmbeddings()) {
                    throw new IllegalArgumentException("position " + p + " outside max_position_embeddings "
                            + model.config().maxPositionEmbeddings());
                }
            }
        }
        return new PrefillBatch(size, length, positions, mask);
    }

    private static void checkRect(String what, int[][] a, int size, int length) {
        if (a.length != size) {
            throw new IllegalArgumentException(what + " has " + a.length + " rows, the batch " + size);
        }
        for (int[] row : a) {
            if (row.length != length) {
                throw new IllegalArgumentException(what + " row of " + row.length + " columns, the batch has " + length);
            }
        }
    }

    TInt32 ints(int[][] rows) {
        checkRect("ids", rows, size, length);
        int[] flat = new int[size * length];
        for (int b = 0; b < size; b++) {
            System.arraycopy(rows[b], 0, flat, b * length, length);
        }
        return TInt32.tensorOf(Shape.of(size, length), DataBuffers.of(flat, true, false));
    }

    TFloat32 embeddings(float[][][] x, int hidden) {
        if (x.length != size) {
            throw new IllegalArgumentException("embeddings have " + x.length + " rows, the batch " + size);
        }
        float[] flat = new float[size * length * hidden];
        for (int b = 0; b < size; b++) {
            if (x[b].length != length) {
                throw new IllegalArgumentException("embeddings row of " + x[b].length + " tokens, the batch has " + length);
            }
            for (int j = 0; j < length; j++) {
                if (x[b][j].length != hidden) {
                    throw new IllegalArgumentException("embedding of width " + x[b][j].length + ", hidden size is " + hidden);
                }
                System.arraycopy(x[b][j], 0, flat, (b * length + j) * hidden, hidden);
            }
        }
        return TFloat32.tensorOf(Shape.of(size, length, hidden), DataBuffers.of(flat, true, false));
    }

    static int[] range(int from, int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = from + i;
        }
        return r;
    }

    static int[] ones(int n) {
        int[] r = new int[n];
        Arrays.fill(r, 1);
        return r;
    }
}

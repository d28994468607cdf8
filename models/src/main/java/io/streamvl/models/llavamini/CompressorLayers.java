package io.streamvl.models.llavamini;

import io.streamvl.models.GraphVariables;
import io.streamvl.models.ModelFormatException;
import io.streamvl.models.weights.TensorSource;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.op.math.Mean;
import org.tensorflow.op.train.BatchMatMul;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The compressor's math (see {@link Compressor}), built into any graph: the runtime's own, or a training
 * graph that differentiates it. The position table is a constant: the reference keeps it frozen.
 */
public final class CompressorLayers {
    private static final double LAYER_NORM_EPS = 1e-5;

    private final Ops tf;
    private final GraphVariables vars;
    private final CompressorWeights.Dims dims;
    private final int heads;
    private final float[] posEmbed;

    private CompressorLayers(Ops tf, GraphVariables vars, CompressorWeights.Dims dims, int heads, float[] posEmbed) {
        this.tf = tf;
        this.vars = vars;
        this.dims = dims;
        this.heads = heads;
        this.posEmbed = posEmbed;
    }

    /**
     * Checks the tensors under {@code prefix} and declares the learned ones in {@code vars}, to be loaded
     * from the same source.
     *
     * @throws ModelFormatException when a tensor is missing or misshapen, or the width does not split into heads
     */
    public static CompressorLayers declare(Ops tf, GraphVariables vars, TensorSource weights, String prefix, int heads) {
        CompressorWeights.Dims dims = CompressorWeights.check(weights, prefix);
        int d = dims.width();
        long q = dims.queries();
        if (heads < 1 || d % heads != 0) {
            throw new ModelFormatException("compressor width " + d + " is not divisible into " + heads + " heads");
        }
        float[] pos = weights.info(prefix + CompressorWeights.POS_EMBED) != null
                ? weights.floats(prefix + CompressorWeights.POS_EMBED)
                : SinCos2d.grid(d, dims.gridSide());
        vars.add("query", new long[] {q, d}, prefix + CompressorWeights.QUERY);
        vars.add("ln_q_w", new long[] {d}, prefix + CompressorWeights.LN_Q + "weight");
        vars.add("ln_q_b", new long[] {d}, prefix + CompressorWeights.LN_Q + "bias");
        vars.add("ln_kv_w", new long[] {d}, prefix + CompressorWeights.LN_KV + "weight");
        vars.add("ln_kv_b", new long[] {d}, prefix + CompressorWeights.LN_KV + "bias");
        vars.add("in_proj_w", new long[] {3L * d, d}, prefix + CompressorWeights.IN_PROJ_WEIGHT);
        vars.add("in_proj_b", new long[] {3L * d}, prefix + CompressorWeights.IN_PROJ_BIAS);
        vars.add("out_proj_w", new long[] {d, d}, prefix + CompressorWeights.OUT_PROJ + "weight");
        vars.add("out_proj_b", new long[] {d}, prefix + CompressorWeights.OUT_PROJ + "bias");
        return new CompressorLayers(tf, vars, dims, heads, pos);
    }

    /** C: the compressed grid side. */
    public int gridSide() {
        return dims.gridSide();
    }

    /** Dv, the vision feature width. */
    public int width() {
        return dims.width();
    }

    public int heads() {
        return heads;
    }

    /** The key-side position table for {@code patches} patches: the C x C table stretched bicubically. */
    public float[] keyPositions(int patches) {
        int side = (int) Math.round(Math.sqrt(patches));
        if (side * side != patches) {
            throw new IllegalArgumentException(patches + " patches per frame do not form a square grid");
        }
        return Bicubic.resize(posEmbed, dims.gridSide(), dims.width(), side);
    }

    /**
     * @param features {@code [B, M, Dv]}
     * @param keyPositions {@code [M, Dv]}, {@link #keyPositions(int)} of M
     * @return {@code [B, C², Dv]}
     */
    public Operand<TFloat32> compress(Operand<TFloat32> features, Operand<TFloat32> keyPositions) {
        int d = dims.width();
        Operand<TFloat32> queryPos = tf.constant(Shape.of(dims.queries(), d), DataBuffers.of(posEmbed, true, false));
        Attention att = new Attention(tf, d, heads);
        Operand<TFloat32> xn = layerNorm(tf, features, vars.get("ln_kv_w"), vars.get("ln_kv_b"));
        Operand<TFloat32> qIn = tf.math.add(layerNorm(tf, vars.get("query"), vars.get("ln_q_w"), vars.get("ln_q_b")), queryPos);
        return att.apply(qIn, tf.math.add(xn, keyPositions), xn, vars.get("in_proj_w"), vars.get("in_proj_b"),
                vars.get("out_proj_w"), vars.get("out_proj_b"));
    }

    /** {@code nn.LayerNorm} over the last axis with the biased variance. */
    private static Operand<TFloat32> layerNorm(Ops tf, Operand<TFloat32> x, Operand<TFloat32> w, Operand<TFloat32> b) {
        Operand<TFloat32> centred = tf.math.sub(x, tf.math.mean(x, tf.constant(-1), Mean.keepDims(true)));
        Operand<TFloat32> variance = tf.math.mean(tf.math.square(centred), tf.constant(-1), Mean.keepDims(true));
        Operand<TFloat32> normed = tf.math.mul(centred, tf.math.rsqrt(tf.math.add(variance, tf.constant((float) LAYER_NORM_EPS))));
        return tf.math.add(tf.math.mul(normed, w), b);
    }

    /** {@code nn.MultiheadAttention} with a shared query set {@code [Q, D]} against batched keys/values {@code [B, M, D]}. */
    private record Attention(Ops tf, int d, int heads) {
        Operand<TFloat32> apply(Operand<TFloat32> q, Operand<TFloat32> k, Operand<TFloat32> v, Operand<TFloat32> inW,
                Operand<TFloat32> inB, Operand<TFloat32> outW, Operand<TFloat32> outB) {
            int hd = d / heads;
            var w = tf.split(tf.constant(0), inW, 3L).output();
            var b = tf.split(tf.constant(0), inB, 3L).output();
            Operand<TInt32> shape = tf.shape(k);
            Operand<TInt32> batch = tf.slice(shape, tf.constant(new int[] {0}), tf.constant(new int[] {1}));
            Operand<TInt32> m = tf.slice(shape, tf.constant(new int[] {1}), tf.constant(new int[] {1}));
            // [1, H, Q, hd]: one query set broadcast over the batch by BatchMatMul.
            Operand<TFloat32> qh = tf.linalg.transpose(tf.reshape(linear(q, w.get(0), b.get(0)),
                    tf.constant(new int[] {1, -1, heads, hd})), tf.constant(new int[] {0, 2, 1, 3}));
            Operand<TFloat32> kh = heads(linear(flat(k), w.get(1), b.get(1)), batch, m, hd);
            Operand<TFloat32> vh = heads(linear(flat(v), w.get(2), b.get(2)), batch, m, hd);
            Operand<TFloat32> scores = tf.math.mul(tf.train.batchMatMul(qh, kh, TFloat32.class, BatchMatMul.adjY(true)),
                    tf.constant((float) (1 / Math.sqrt(hd))));
            Operand<TFloat32> ctx = tf.train.batchMatMul(tf.nn.softmax(scores), vh, TFloat32.class);
            Operand<TFloat32> merged = tf.reshape(tf.linalg.transpose(ctx, tf.constant(new int[] {0, 2, 1, 3})),
                    tf.constant(new int[] {-1, d}));
            Operand<TFloat32> out = linear(merged, outW, outB);
            return tf.reshape(out, tf.concat(List.of(batch, tf.constant(new int[] {-1, d})), tf.constant(0)));
        }

        private Operand<TFloat32> heads(Operand<TFloat32> x2d, Operand<TInt32> batch, Operand<TInt32> m, int hd) {
            Operand<TFloat32> x = tf.reshape(x2d, tf.concat(List.of(batch, m, tf.constant(new int[] {heads, hd})), tf.constant(0)));
            return tf.linalg.transpose(x, tf.constant(new int[] {0, 2, 1, 3}));
        }

        private Operand<TFloat32> linear(Operand<TFloat32> x2d, Operand<TFloat32> w, Operand<TFloat32> b) {
            return tf.math.add(tf.linalg.matMul(x2d, w, MatMul.transposeB(true)), b);
        }

        private Operand<TFloat32> flat(Operand<TFloat32> x) {
            return tf.reshape(x, tf.constant(new int[] {-1, d}));
        }
    }

}

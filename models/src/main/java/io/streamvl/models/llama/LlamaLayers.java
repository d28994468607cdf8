package io.streamvl.models.llama;

import java.util.List;
import java.util.function.Function;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.op.math.Mean;
import org.tensorflow.op.train.BatchMatMul;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The graph math of HF {@code LlamaDecoderLayer} (RMSNorm, rotary embeddings, GQA attention, SwiGLU),
 * shared by the cached decoder ({@link LlamaGraph}) and the cache-free {@link LlamaDecoderStack}, so both
 * run exactly the same ops. Weights are looked up by graph variable name ({@link WeightLayout.Slot}).
 */
final class LlamaLayers {
    private static final float MASKED = -1e9f;

    /** Receives a layer's rotated keys and values, {@code [batch, kvHeads, len, headDim]}, e.g. to fill a cache. */
    interface KvSink {
        void accept(int layer, Operand<TFloat32> keys, Operand<TFloat32> values);
    }

    /** Cos/sin tables of a {@code [batch, len]} position grid, shaped to broadcast over queries and keys. */
    record Rope(Operand<TFloat32> qCos, Operand<TFloat32> qSin, Operand<TFloat32> kCos, Operand<TFloat32> kSin) {}

    final Ops tf;
    private final LlamaConfig c;
    private final int groups;
    private final Operand<TFloat32> invFreq;
    private final Function<String, Operand<TFloat32>> weight;

    LlamaLayers(Ops tf, LlamaConfig config, Function<String, Operand<TFloat32>> weight) {
        this.tf = tf;
        this.c = config;
        this.groups = config.numHeads() / config.numKvHeads();
        this.invFreq = tf.constant(RotaryFrequencies.inverseFrequencies(config));
        this.weight = weight;
    }

    Rope prefillRope(Operand<TInt32> positions, Operand<TInt32> b, Operand<TInt32> p) {
        int hd = c.headDim();
        Operand<TFloat32> angles = angles(tf.dtypes.cast(positions, TFloat32.class));
        Operand<TFloat32> cos = tf.math.cos(angles);
        Operand<TFloat32> sin = tf.math.sin(angles);
        return new Rope(
                reshape(cos, b, p, tf.constant(1), tf.constant(1), tf.constant(hd)),
                reshape(sin, b, p, tf.constant(1), tf.constant(1), tf.constant(hd)),
                reshape(cos, b, p, tf.constant(1), tf.constant(hd)),
                reshape(sin, b, p, tf.constant(1), tf.constant(hd)));
    }

    /**
     * HF semantics: key j is visible to query i when j <= i and the mask marks j as a real token; the
     * result is additive, {@code [batch, 1, 1, len, len]}.
     */
    Operand<TFloat32> causalMask(Operand<TInt32> mask, Operand<TInt32> b, Operand<TInt32> p) {
        Operand<TInt32> idx = tf.range(tf.constant(0), p, tf.constant(1));
        Operand<TFloat32> causal = tf.dtypes.cast(tf.math.lessEqual(
                tf.expandDims(idx, tf.constant(0)), tf.expandDims(idx, tf.constant(1))), TFloat32.class);
        Operand<TFloat32> keyOk = tf.dtypes.cast(mask, TFloat32.class);
        Operand<TFloat32> allowed = tf.math.mul(tf.expandDims(causal, tf.constant(0)), tf.expandDims(keyOk, tf.constant(1)));
        return reshape(additive(allowed), b, tf.constant(1), tf.constant(1), p, p);
    }

    /** One decoder layer over {@code x [batch, len, hidden]}; returns the layer's output hidden states. */
    Operand<TFloat32> prefillLayer(int i, Operand<TFloat32> x, Operand<TInt32> b, Operand<TInt32> p,
            Rope rope, Operand<TFloat32> maskAdd, KvSink kv) {
        int kvH = c.numKvHeads();
        int hd = c.headDim();
        Operand<TFloat32>[] qkv = qkv(i, flat(rmsNorm(x, weight.apply("l" + i + "_in_norm"))));
        Operand<TFloat32> q = rope(reshape(qkv[0], b, p, tf.constant(kvH), tf.constant(groups), tf.constant(hd)), rope.qCos(), rope.qSin());
        Operand<TFloat32> k = rope(reshape(qkv[1], b, p, tf.constant(kvH), tf.constant(hd)), rope.kCos(), rope.kSin());
        Operand<TFloat32> v = reshape(qkv[2], b, p, tf.constant(kvH), tf.constant(hd));
        Operand<TFloat32> qT = reshape(tf.linalg.transpose(q, tf.constant(new int[] {0, 2, 3, 1, 4})),
                b, tf.constant(kvH), tf.constant(-1), tf.constant(hd));
        Operand<TFloat32> kT = tf.linalg.transpose(k, tf.constant(new int[] {0, 2, 1, 3}));
        Operand<TFloat32> vT = tf.linalg.transpose(v, tf.constant(new int[] {0, 2, 1, 3}));
        kv.accept(i, kT, vT);

        Operand<TFloat32> scores = reshape(scaled(tf.train.batchMatMul(qT, kT, TFloat32.class, BatchMatMul.adjY(true))),
                b, tf.constant(kvH), tf.constant(groups), p, p);
        Operand<TFloat32> probs = reshape(tf.nn.softmax(tf.math.add(scores, maskAdd)), b, tf.constant(kvH), tf.constant(-1), p);
        Operand<TFloat32> att = reshape(tf.train.batchMatMul(probs, vT, TFloat32.class),
                b, tf.constant(kvH), tf.constant(groups), p, tf.constant(hd));
        Operand<TFloat32> merged = reshape(tf.linalg.transpose(att, tf.constant(new int[] {0, 3, 1, 2, 4})),
                tf.constant(-1), tf.constant(c.numHeads() * hd));
        x = tf.math.add(x, reshape(linear(merged, "l" + i + "_o"), b, p, tf.constant(c.hiddenSize())));
        return tf.math.add(x, reshape(mlp(i, flat(rmsNorm(x, weight.apply("l" + i + "_post_norm")))), b, p, tf.constant(c.hiddenSize())));
    }

    Operand<TFloat32> angles(Operand<TFloat32> positions) {
        Operand<TFloat32> freqs = tf.math.mul(tf.expandDims(positions, tf.constant(-1)), invFreq);
        return tf.concat(List.of(freqs, freqs), tf.constant(-1));
    }

    /** HF rotate_half convention: the head dimension's two halves form the rotated pairs. */
    Operand<TFloat32> rope(Operand<TFloat32> x, Operand<TFloat32> cos, Operand<TFloat32> sin) {
        var halves = tf.split(tf.constant(-1), x, 2L);
        Operand<TFloat32> rotated = tf.concat(List.of(tf.math.neg(halves.output().get(1)), halves.output().get(0)), tf.constant(-1));
        return tf.math.add(tf.math.mul(x, cos), tf.math.mul(rotated, sin));
    }

    Operand<TFloat32> rmsNorm(Operand<TFloat32> x, Operand<TFloat32> w) {
        Operand<TFloat32> variance = tf.math.mean(tf.math.square(x), tf.constant(-1), Mean.keepDims(true));
        Operand<TFloat32> eps = tf.constant((float) c.rmsNormEps());
        return tf.math.mul(tf.math.mul(x, tf.math.rsqrt(tf.math.add(variance, eps))), w);
    }

    @SuppressWarnings("unchecked")
    Operand<TFloat32>[] qkv(int layer, Operand<TFloat32> x2d) {
        int q = c.numHeads() * c.headDim();
        int kv = c.numKvHeads() * c.headDim();
        var parts = tf.splitV(linear(x2d, "l" + layer + "_qkv"), tf.constant(new int[] {q, kv, kv}), tf.constant(-1), 3L);
        return new Operand[] {parts.output().get(0), parts.output().get(1), parts.output().get(2)};
    }

    Operand<TFloat32> mlp(int layer, Operand<TFloat32> x2d) {
        var gateUp = tf.split(tf.constant(-1), linear(x2d, "l" + layer + "_gate_up"), 2L);
        Operand<TFloat32> gate = gateUp.output().get(0);
        Operand<TFloat32> silu = tf.math.mul(gate, tf.math.sigmoid(gate));
        return linear(tf.math.mul(silu, gateUp.output().get(1)), "l" + layer + "_down");
    }

    /** HF {@code nn.Linear}: x · Wᵀ with W stored [out, in]. */
    Operand<TFloat32> linear(Operand<TFloat32> x2d, String variable) {
        return tf.linalg.matMul(x2d, weight.apply(variable), MatMul.transposeB(true));
    }

    Operand<TFloat32> scaled(Operand<TFloat32> scores) {
        return tf.math.mul(scores, tf.constant((float) (1.0 / Math.sqrt(c.headDim()))));
    }

    /** 1 (visible) becomes 0 and 0 (hidden) a large negative; finite so fully masked padding rows stay NaN-free. */
    Operand<TFloat32> additive(Operand<TFloat32> allowed) {
        return tf.math.mul(tf.math.sub(tf.constant(1f), allowed), tf.constant(MASKED));
    }

    Operand<TFloat32> flat(Operand<TFloat32> x) {
        return tf.reshape(x, tf.constant(new int[] {-1, c.hiddenSize()}));
    }

    Operand<TInt32> dim(Operand<TInt32> shape, int i) {
        return tf.squeeze(tf.slice(shape, tf.constant(new int[] {i}), tf.constant(new int[] {1})));
    }

    @SafeVarargs
    final Operand<TFloat32> reshape(Operand<TFloat32> x, Operand<TInt32>... dims) {
        return tf.reshape(x, tf.stack(List.of(dims)));
    }
}

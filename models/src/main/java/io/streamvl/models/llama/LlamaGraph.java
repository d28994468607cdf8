package io.streamvl.models.llama;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.op.math.Mean;
import org.tensorflow.op.train.BatchMatMul;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The decoder as one TF graph: weights and the KV cache live in variables, and three entry points
 * (embedding lookup, prefill, single-token decode) share them.
 *
 * <p>The cache is {@code [maxBatch, kvHeads, maxLen, headDim]} per layer. Prefill writes cache
 * slots {@code 0..len-1} of rows {@code 0..batch-1}; a decode step writes one slot per sequence with
 * an in-graph scatter and attends over slots {@code 0..max(slot)}, so only ids, positions and slots
 * cross JNI. A {@code [maxBatch, maxLen]} key-mask variable records which slots hold real tokens,
 * which makes left padding, right padding and sequences of different lengths all work.
 */
final class LlamaGraph {
    private static final float MASKED = -1e9f;

    final Graph graph;
    final Map<String, WeightInit> weights = new HashMap<>();
    final Op cacheInit;

    final Placeholder<TInt32> embedIds;
    final Operand<TFloat32> embedOut;

    final Placeholder<TInt32> prefillIds;
    /** The prefill's input embeddings: computed from {@link #prefillIds}, or fed directly. */
    final Operand<TFloat32> prefillInput;
    final Placeholder<TInt32> prefillPositions;
    final Placeholder<TInt32> prefillMask;
    final Operand<TFloat32> prefillLastLogits;
    final Operand<TFloat32> prefillAllLogits;
    final Op prefillWrites;

    final Placeholder<TInt32> decodeIds;
    final Placeholder<TInt32> decodePositions;
    final Placeholder<TInt32> decodeSlots;
    final Operand<TFloat32> decodeLogits;

    record WeightInit(WeightLayout.Slot slot, Placeholder<TFloat32> value, Op assign) {}

    private final LlamaConfig c;
    private final Ops tf;
    private final int groups;
    private final int maxLen;
    private final Operand<TFloat32> invFreq;
    private final Variable<TFloat32> keyMask;
    private final List<Variable<TFloat32>> kCache = new ArrayList<>();
    private final List<Variable<TFloat32>> vCache = new ArrayList<>();
    private final Map<String, Variable<TFloat32>> vars = new HashMap<>();

    LlamaGraph(LlamaConfig config, List<WeightLayout.Slot> slots, DecoderOptions options, int maxLen) {
        this.c = config;
        this.maxLen = maxLen;
        this.groups = config.numHeads() / config.numKvHeads();
        this.graph = new Graph();
        Ops root = Ops.create(graph);
        this.tf = options.place(root);

        for (WeightLayout.Slot s : slots) {
            Shape shape = Shape.of(s.shape());
            Variable<TFloat32> v = tf.withName(s.variable()).variable(shape, TFloat32.class);
            Placeholder<TFloat32> p = tf.placeholder(TFloat32.class, Placeholder.shape(shape));
            weights.put(s.variable(), new WeightInit(s, p, tf.assign(v, p)));
            vars.put(s.variable(), v);
        }
        List<Op> inits = new ArrayList<>();
        Shape cacheShape = Shape.of(options.maxBatch(), c.numKvHeads(), maxLen, c.headDim());
        for (int i = 0; i < c.numLayers(); i++) {
            kCache.add(zeroed(tf.withName("k_cache_" + i), cacheShape, inits));
            vCache.add(zeroed(tf.withName("v_cache_" + i), cacheShape, inits));
        }
        keyMask = zeroed(tf.withName("key_mask"), Shape.of(options.maxBatch(), maxLen), inits);
        cacheInit = tf.withControlDependencies(inits).noOp();
        invFreq = tf.constant(RotaryFrequencies.inverseFrequencies(c));

        embedIds = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, -1)));
        embedOut = tf.gather(vars.get("embed"), embedIds, tf.constant(0));

        prefillIds = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, -1)));
        prefillInput = tf.identity(tf.gather(vars.get("embed"), prefillIds, tf.constant(0)));
        prefillPositions = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, -1)));
        prefillMask = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, -1)));
        List<Op> writes = new ArrayList<>();
        Operand<TFloat32>[] prefillOut = buildPrefill(writes);
        prefillLastLogits = prefillOut[0];
        prefillAllLogits = prefillOut[1];
        prefillWrites = tf.withControlDependencies(writes).noOp();

        decodeIds = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
        decodePositions = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
        decodeSlots = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
        decodeLogits = buildDecode();
    }

    private static Variable<TFloat32> zeroed(Ops scope, Shape shape, List<Op> inits) {
        Variable<TFloat32> v = scope.variable(shape, TFloat32.class);
        inits.add(scope.assign(v, scope.zeros(scope.constant(shape.asArray()), TFloat32.class)));
        return v;
    }

    @SuppressWarnings("unchecked")
    private Operand<TFloat32>[] buildPrefill(List<Op> writes) {
        Operand<TFloat32> x = prefillInput;
        Operand<TInt32> shape = tf.shape(x);
        Operand<TInt32> b = dim(shape, 0);
        Operand<TInt32> p = dim(shape, 1);
        int kvH = c.numKvHeads();
        int hd = c.headDim();

        Operand<TFloat32> angles = angles(tf.dtypes.cast(prefillPositions, TFloat32.class));
        Operand<TFloat32> cos = tf.math.cos(angles);
        Operand<TFloat32> sin = tf.math.sin(angles);
        Operand<TFloat32> qCos = reshape(cos, b, p, tf.constant(1), tf.constant(1), tf.constant(hd));
        Operand<TFloat32> qSin = reshape(sin, b, p, tf.constant(1), tf.constant(1), tf.constant(hd));
        Operand<TFloat32> kCos = reshape(cos, b, p, tf.constant(1), tf.constant(hd));
        Operand<TFloat32> kSin = reshape(sin, b, p, tf.constant(1), tf.constant(hd));

        // HF semantics: key j is visible to query i when j <= i and the mask marks j as a real token.
        Operand<TInt32> idx = tf.range(tf.constant(0), p, tf.constant(1));
        Operand<TFloat32> causal = tf.dtypes.cast(tf.math.lessEqual(
                tf.expandDims(idx, tf.constant(0)), tf.expandDims(idx, tf.constant(1))), TFloat32.class);
        Operand<TFloat32> keyOk = tf.dtypes.cast(prefillMask, TFloat32.class);
        Operand<TFloat32> allowed = tf.math.mul(tf.expandDims(causal, tf.constant(0)), tf.expandDims(keyOk, tf.constant(1)));
        Operand<TFloat32> maskAdd = reshape(additive(allowed), b, tf.constant(1), tf.constant(1), p, p);

        Operand<TInt32> gridShape = tf.stack(List.of(b, tf.constant(kvH), p));
        Operand<TInt32> cacheIdx = tf.stack(List.of(
                tf.broadcastTo(reshapeInt(tf.range(tf.constant(0), b, tf.constant(1)), tf.constant(-1), tf.constant(1), tf.constant(1)), gridShape),
                tf.broadcastTo(reshapeInt(tf.range(tf.constant(0), tf.constant(kvH), tf.constant(1)), tf.constant(1), tf.constant(-1), tf.constant(1)), gridShape),
                tf.broadcastTo(reshapeInt(idx, tf.constant(1), tf.constant(1), tf.constant(-1)), gridShape)),
                org.tensorflow.op.core.Stack.axis(-1L));

        for (int i = 0; i < c.numLayers(); i++) {
            Operand<TFloat32>[] qkv = qkv(i, flat(rmsNorm(x, vars.get("l" + i + "_in_norm"))));
            Operand<TFloat32> q = rope(reshape(qkv[0], b, p, tf.constant(kvH), tf.constant(groups), tf.constant(hd)), qCos, qSin);
            Operand<TFloat32> k = rope(reshape(qkv[1], b, p, tf.constant(kvH), tf.constant(hd)), kCos, kSin);
            Operand<TFloat32> v = reshape(qkv[2], b, p, tf.constant(kvH), tf.constant(hd));
            Operand<TFloat32> qT = reshape(tf.linalg.transpose(q, tf.constant(new int[] {0, 2, 3, 1, 4})),
                    b, tf.constant(kvH), tf.constant(-1), tf.constant(hd));
            Operand<TFloat32> kT = tf.linalg.transpose(k, tf.constant(new int[] {0, 2, 1, 3}));
            Operand<TFloat32> vT = tf.linalg.transpose(v, tf.constant(new int[] {0, 2, 1, 3}));
            writes.add(tf.scatterNdUpdate(kCache.get(i), cacheIdx, kT));
            writes.add(tf.scatterNdUpdate(vCache.get(i), cacheIdx, vT));

            Operand<TFloat32> scores = reshape(scaled(tf.train.batchMatMul(qT, kT, TFloat32.class, BatchMatMul.adjY(true))),
                    b, tf.constant(kvH), tf.constant(groups), p, p);
            Operand<TFloat32> probs = reshape(tf.nn.softmax(tf.math.add(scores, maskAdd)), b, tf.constant(kvH), tf.constant(-1), p);
            Operand<TFloat32> att = reshape(tf.train.batchMatMul(probs, vT, TFloat32.class),
                    b, tf.constant(kvH), tf.constant(groups), p, tf.constant(hd));
            Operand<TFloat32> merged = reshape(tf.linalg.transpose(att, tf.constant(new int[] {0, 3, 1, 2, 4})),
                    tf.constant(-1), tf.constant(c.numHeads() * hd));
            x = tf.math.add(x, reshape(linear(merged, "l" + i + "_o"), b, p, tf.constant(c.hiddenSize())));
            x = tf.math.add(x, reshape(mlp(i, flat(rmsNorm(x, vars.get("l" + i + "_post_norm")))), b, p, tf.constant(c.hiddenSize())));
        }
        Operand<TFloat32> normed = flat(rmsNorm(x, vars.get("final_norm")));

        Operand<TFloat32> rowMask = tf.dtypes.cast(tf.math.greater(prefillMask, tf.constant(0)), TFloat32.class);
        writes.add(tf.scatterNdUpdate(keyMask, reshapeInt(tf.range(tf.constant(0), b, tf.constant(1)), tf.constant(-1), tf.constant(1)),
                tf.pad(rowMask, tf.stack(List.of(tf.constant(new int[] {0, 0}),
                        tf.stack(List.of(tf.constant(0), tf.math.sub(tf.constant(maxLen), p))))), tf.constant(0f))));

        // The last real token of each row: the highest index the mask marks (left or right padding alike).
        Operand<TInt32> last = tf.math.argMax(tf.math.mul(tf.math.minimum(prefillMask, tf.constant(1)),
                tf.math.add(idx, tf.constant(1))), tf.constant(1), TInt32.class);
        Operand<TInt32> rows = tf.math.add(tf.math.mul(tf.range(tf.constant(0), b, tf.constant(1)), p), last);
        Operand<TFloat32> lastLogits = logits(tf.gather(normed, rows, tf.constant(0)));
        Operand<TFloat32> allLogits = reshape(logits(normed), b, p, tf.constant(c.vocabSize()));
        return new Operand[] {lastLogits, allLogits};
    }

    private Operand<TFloat32> buildDecode() {
        Operand<TFloat32> x = tf.gather(vars.get("embed"), decodeIds, tf.constant(0));
        Operand<TInt32> b = dim(tf.shape(decodeIds), 0);
        int kvH = c.numKvHeads();
        int hd = c.headDim();
        Operand<TFloat32> angles = angles(tf.dtypes.cast(decodePositions, TFloat32.class));
        Operand<TFloat32> cos = tf.math.cos(angles);
        Operand<TFloat32> sin = tf.math.sin(angles);
        Operand<TFloat32> qCos = reshape(cos, b, tf.constant(1), tf.constant(1), tf.constant(hd));
        Operand<TFloat32> qSin = reshape(sin, b, tf.constant(1), tf.constant(1), tf.constant(hd));
        Operand<TFloat32> kCos = reshape(cos, b, tf.constant(1), tf.constant(hd));
        Operand<TFloat32> kSin = reshape(sin, b, tf.constant(1), tf.constant(hd));

        Operand<TInt32> kvLen = tf.math.add(tf.max(decodeSlots, tf.constant(0)), tf.constant(1));
        Operand<TInt32> batchIdx = tf.range(tf.constant(0), b, tf.constant(1));
        Operand<TFloat32> maskNow = tf.scatterNdUpdate(keyMask, tf.stack(List.of(batchIdx, decodeSlots), org.tensorflow.op.core.Stack.axis(-1L)),
                tf.fill(tf.expandDims(b, tf.constant(0)), tf.constant(1f)));
        Operand<TFloat32> keys = tf.slice(maskNow, tf.constant(new int[] {0, 0}), tf.stack(List.of(b, kvLen)));
        Operand<TFloat32> maskAdd = reshape(additive(keys), b, tf.constant(1), tf.constant(1), kvLen);

        Operand<TInt32> gridShape = tf.stack(List.of(b, tf.constant(kvH)));
        Operand<TInt32> cacheIdx = tf.stack(List.of(
                tf.broadcastTo(tf.expandDims(batchIdx, tf.constant(1)), gridShape),
                tf.broadcastTo(tf.expandDims(tf.range(tf.constant(0), tf.constant(kvH), tf.constant(1)), tf.constant(0)), gridShape),
                tf.broadcastTo(tf.expandDims(decodeSlots, tf.constant(1)), gridShape)),
                org.tensorflow.op.core.Stack.axis(-1L));
        Operand<TInt32> sliceBegin = tf.constant(new int[] {0, 0, 0, 0});
        Operand<TInt32> sliceSize = tf.stack(List.of(b, tf.constant(-1), kvLen, tf.constant(-1)));

        for (int i = 0; i < c.numLayers(); i++) {
            Operand<TFloat32>[] qkv = qkv(i, rmsNorm(x, vars.get("l" + i + "_in_norm")));
            Operand<TFloat32> q = rope(reshape(qkv[0], b, tf.constant(kvH), tf.constant(groups), tf.constant(hd)), qCos, qSin);
            Operand<TFloat32> k = rope(reshape(qkv[1], b, tf.constant(kvH), tf.constant(hd)), kCos, kSin);
            Operand<TFloat32> v = reshape(qkv[2], b, tf.constant(kvH), tf.constant(hd));
            Operand<TFloat32> keysAll = tf.slice(tf.scatterNdUpdate(kCache.get(i), cacheIdx, k), sliceBegin, sliceSize);
            Operand<TFloat32> valuesAll = tf.slice(tf.scatterNdUpdate(vCache.get(i), cacheIdx, v), sliceBegin, sliceSize);
            Operand<TFloat32> scores = scaled(tf.train.batchMatMul(q, keysAll, TFloat32.class, BatchMatMul.adjY(true)));
            Operand<TFloat32> probs = tf.nn.softmax(tf.math.add(scores, maskAdd));
            Operand<TFloat32> att = reshape(tf.train.batchMatMul(probs, valuesAll, TFloat32.class), b, tf.constant(c.numHeads() * hd));
            x = tf.math.add(x, linear(att, "l" + i + "_o"));
            x = tf.math.add(x, mlp(i, rmsNorm(x, vars.get("l" + i + "_post_norm"))));
        }
        return logits(rmsNorm(x, vars.get("final_norm")));
    }

    private Operand<TFloat32> angles(Operand<TFloat32> positions) {
        Operand<TFloat32> freqs = tf.math.mul(tf.expandDims(positions, tf.constant(-1)), invFreq);
        return tf.concat(List.of(freqs, freqs), tf.constant(-1));
    }

    /** HF rotate_half convention: the head dimension's two halves form the rotated pairs. */
    private Operand<TFloat32> rope(Operand<TFloat32> x, Operand<TFloat32> cos, Operand<TFloat32> sin) {
        var halves = tf.split(tf.constant(-1), x, 2L);
        Operand<TFloat32> rotated = tf.concat(List.of(tf.math.neg(halves.output().get(1)), halves.output().get(0)), tf.constant(-1));
        return tf.math.add(tf.math.mul(x, cos), tf.math.mul(rotated, sin));
    }

    private Operand<TFloat32> rmsNorm(Operand<TFloat32> x, Operand<TFloat32> weight) {
        Operand<TFloat32> variance = tf.math.mean(tf.math.square(x), tf.constant(-1), Mean.keepDims(true));
        Operand<TFloat32> eps = tf.constant((float) c.rmsNormEps());
        return tf.math.mul(tf.math.mul(x, tf.math.rsqrt(tf.math.add(variance, eps))), weight);
    }

    @SuppressWarnings("unchecked")
    private Operand<TFloat32>[] qkv(int layer, Operand<TFloat32> x2d) {
        int q = c.numHeads() * c.headDim();
        int kv = c.numKvHeads() * c.headDim();
        var parts = tf.splitV(linear(x2d, "l" + layer + "_qkv"), tf.constant(new int[] {q, kv, kv}), tf.constant(-1), 3L);
        return new Operand[] {parts.output().get(0), parts.output().get(1), parts.output().get(2)};
    }

    private Operand<TFloat32> mlp(int layer, Operand<TFloat32> x2d) {
        var gateUp = tf.split(tf.constant(-1), linear(x2d, "l" + layer + "_gate_up"), 2L);
        Operand<TFloat32> gate = gateUp.output().get(0);
        Operand<TFloat32> silu = tf.math.mul(gate, tf.math.sigmoid(gate));
        return linear(tf.math.mul(silu, gateUp.output().get(1)), "l" + layer + "_down");
    }

    /** HF {@code nn.Linear}: x · Wᵀ with W stored [out, in]. */
    private Operand<TFloat32> linear(Operand<TFloat32> x2d, String weight) {
        return tf.linalg.matMul(x2d, vars.get(weight), MatMul.transposeB(true));
    }

    private Operand<TFloat32> logits(Operand<TFloat32> hidden2d) {
        return linear(hidden2d, c.tieWordEmbeddings() ? "embed" : "lm_head");
    }

    private Operand<TFloat32> scaled(Operand<TFloat32> scores) {
        return tf.math.mul(scores, tf.constant((float) (1.0 / Math.sqrt(c.headDim()))));
    }

    /** 1 (visible) becomes 0 and 0 (hidden) a large negative; finite so fully masked padding rows stay NaN-free. */
    private Operand<TFloat32> additive(Operand<TFloat32> allowed) {
        return tf.math.mul(tf.math.sub(tf.constant(1f), allowed), tf.constant(MASKED));
    }

    private Operand<TFloat32> flat(Operand<TFloat32> x) {
        return tf.reshape(x, tf.constant(new int[] {-1, c.hiddenSize()}));
    }

    private Operand<TInt32> dim(Operand<TInt32> shape, int i) {
        return tf.squeeze(tf.slice(shape, tf.constant(new int[] {i}), tf.constant(new int[] {1})));
    }

    @SafeVarargs
    private Operand<TFloat32> reshape(Operand<TFloat32> x, Operand<TInt32>... dims) {
        return tf.reshape(x, tf.stack(List.of(dims)));
    }

    private Operand<TInt32> reshapeInt(Operand<TInt32> x, Operand<TInt32> d0, Operand<TInt32> d1) {
        return tf.reshape(x, tf.stack(List.of(d0, d1)));
    }

    private Operand<TInt32> reshapeInt(Operand<TInt32> x, Operand<TInt32> d0, Operand<TInt32> d1, Operand<TInt32> d2) {
        return tf.reshape(x, tf.stack(List.of(d0, d1, d2)));
    }
}


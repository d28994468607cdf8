package io.streamvl.models.llama;

import io.streamvl.models.GraphVariables;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
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
    final Graph graph;
    final GraphVariables vars;
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


    private final LlamaConfig c;
    private final Ops tf;
    private final int groups;
    private final int maxLen;
    private final LlamaLayers nn;
    private final Variable<TFloat32> keyMask;
    private final List<Variable<TFloat32>> kCache = new ArrayList<>();
    private final List<Variable<TFloat32>> vCache = new ArrayList<>();

    LlamaGraph(LlamaConfig config, List<WeightLayout.Slot> slots, DecoderOptions options, int maxLen) {
        this.c = config;
        this.maxLen = maxLen;
        this.groups = config.numHeads() / config.numKvHeads();
        this.graph = new Graph();
        Ops root = Ops.create(graph);
        this.tf = options.place(root);

        this.vars = new GraphVariables(tf);
        for (WeightLayout.Slot s : slots) {
            vars.add(s.variable(), s.shape(), s.parts().toArray(String[]::new));
        }
        List<Op> inits = new ArrayList<>();
        Shape cacheShape = Shape.of(options.maxBatch(), c.numKvHeads(), maxLen, c.headDim());
        for (int i = 0; i < c.numLayers(); i++) {
            kCache.add(zeroed(tf.withName("k_cache_" + i), cacheShape, inits));
            vCache.add(zeroed(tf.withName("v_cache_" + i), cacheShape, inits));
        }
        keyMask = zeroed(tf.withName("key_mask"), Shape.of(options.maxBatch(), maxLen), inits);
        cacheInit = tf.withControlDependencies(inits).noOp();
        nn = new LlamaLayers(tf, c, vars::get);

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
        Operand<TInt32> b = nn.dim(shape, 0);
        Operand<TInt32> p = nn.dim(shape, 1);
        int kvH = c.numKvHeads();

        LlamaLayers.Rope rope = nn.prefillRope(prefillPositions, b, p);
        Operand<TFloat32> maskAdd = nn.causalMask(prefillMask, b, p);
        Operand<TInt32> idx = tf.range(tf.constant(0), p, tf.constant(1));

        Operand<TInt32> gridShape = tf.stack(List.of(b, tf.constant(kvH), p));
        Operand<TInt32> cacheIdx = tf.stack(List.of(
                tf.broadcastTo(reshapeInt(tf.range(tf.constant(0), b, tf.constant(1)), tf.constant(-1), tf.constant(1), tf.constant(1)), gridShape),
                tf.broadcastTo(reshapeInt(tf.range(tf.constant(0), tf.constant(kvH), tf.constant(1)), tf.constant(1), tf.constant(-1), tf.constant(1)), gridShape),
                tf.broadcastTo(reshapeInt(idx, tf.constant(1), tf.constant(1), tf.constant(-1)), gridShape)),
                org.tensorflow.op.core.Stack.axis(-1L));
        LlamaLayers.KvSink toCache = (layer, keys, values) -> {
            writes.add(tf.scatterNdUpdate(kCache.get(layer), cacheIdx, keys));
            writes.add(tf.scatterNdUpdate(vCache.get(layer), cacheIdx, values));
        };

        for (int i = 0; i < c.numLayers(); i++) {
            x = nn.prefillLayer(i, x, b, p, rope, maskAdd, toCache);
        }
        Operand<TFloat32> normed = nn.flat(nn.rmsNorm(x, vars.get("final_norm")));

        Operand<TFloat32> rowMask = tf.dtypes.cast(tf.math.greater(prefillMask, tf.constant(0)), TFloat32.class);
        writes.add(tf.scatterNdUpdate(keyMask, reshapeInt(tf.range(tf.constant(0), b, tf.constant(1)), tf.constant(-1), tf.constant(1)),
                tf.pad(rowMask, tf.stack(List.of(tf.constant(new int[] {0, 0}),
                        tf.stack(List.of(tf.constant(0), tf.math.sub(tf.constant(maxLen), p))))), tf.constant(0f))));

        // The last real token of each row: the highest index the mask marks (left or right padding alike).
        Operand<TInt32> last = tf.math.argMax(tf.math.mul(tf.math.minimum(prefillMask, tf.constant(1)),
                tf.math.add(idx, tf.constant(1))), tf.constant(1), TInt32.class);
        Operand<TInt32> rows = tf.math.add(tf.math.mul(tf.range(tf.constant(0), b, tf.constant(1)), p), last);
        Operand<TFloat32> lastLogits = logits(tf.gather(normed, rows, tf.constant(0)));
        Operand<TFloat32> allLogits = nn.reshape(logits(normed), b, p, tf.constant(c.vocabSize()));
        return new Operand[] {lastLogits, allLogits};
    }

    private Operand<TFloat32> buildDecode() {
        Operand<TFloat32> x = tf.gather(vars.get("embed"), decodeIds, tf.constant(0));
        Operand<TInt32> b = nn.dim(tf.shape(decodeIds), 0);
        int kvH = c.numKvHeads();
        int hd = c.headDim();
        Operand<TFloat32> angles = nn.angles(tf.dtypes.cast(decodePositions, TFloat32.class));
        Operand<TFloat32> cos = tf.math.cos(angles);
        Operand<TFloat32> sin = tf.math.sin(angles);
        Operand<TFloat32> qCos = nn.reshape(cos, b, tf.constant(1), tf.constant(1), tf.constant(hd));
        Operand<TFloat32> qSin = nn.reshape(sin, b, tf.constant(1), tf.constant(1), tf.constant(hd));
        Operand<TFloat32> kCos = nn.reshape(cos, b, tf.constant(1), tf.constant(hd));
        Operand<TFloat32> kSin = nn.reshape(sin, b, tf.constant(1), tf.constant(hd));

        Operand<TInt32> kvLen = tf.math.add(tf.max(decodeSlots, tf.constant(0)), tf.constant(1));
        Operand<TInt32> batchIdx = tf.range(tf.constant(0), b, tf.constant(1));
        Operand<TFloat32> maskNow = tf.scatterNdUpdate(keyMask, tf.stack(List.of(batchIdx, decodeSlots), org.tensorflow.op.core.Stack.axis(-1L)),
                tf.fill(tf.expandDims(b, tf.constant(0)), tf.constant(1f)));
        Operand<TFloat32> keys = tf.slice(maskNow, tf.constant(new int[] {0, 0}), tf.stack(List.of(b, kvLen)));
        Operand<TFloat32> maskAdd = nn.reshape(nn.additive(keys), b, tf.constant(1), tf.constant(1), kvLen);

        Operand<TInt32> gridShape = tf.stack(List.of(b, tf.constant(kvH)));
        Operand<TInt32> cacheIdx = tf.stack(List.of(
                tf.broadcastTo(tf.expandDims(batchIdx, tf.constant(1)), gridShape),
                tf.broadcastTo(tf.expandDims(tf.range(tf.constant(0), tf.constant(kvH), tf.constant(1)), tf.constant(0)), gridShape),
                tf.broadcastTo(tf.expandDims(decodeSlots, tf.constant(1)), gridShape)),
                org.tensorflow.op.core.Stack.axis(-1L));
        Operand<TInt32> sliceBegin = tf.constant(new int[] {0, 0, 0, 0});
        Operand<TInt32> sliceSize = tf.stack(List.of(b, tf.constant(-1), kvLen, tf.constant(-1)));

        for (int i = 0; i < c.numLayers(); i++) {
            Operand<TFloat32>[] qkv = nn.qkv(i, nn.rmsNorm(x, vars.get("l" + i + "_in_norm")));
            Operand<TFloat32> q = nn.rope(nn.reshape(qkv[0], b, tf.constant(kvH), tf.constant(groups), tf.constant(hd)), qCos, qSin);
            Operand<TFloat32> k = nn.rope(nn.reshape(qkv[1], b, tf.constant(kvH), tf.constant(hd)), kCos, kSin);
            Operand<TFloat32> v = nn.reshape(qkv[2], b, tf.constant(kvH), tf.constant(hd));
            Operand<TFloat32> keysAll = tf.slice(tf.scatterNdUpdate(kCache.get(i), cacheIdx, k), sliceBegin, sliceSize);
            Operand<TFloat32> valuesAll = tf.slice(tf.scatterNdUpdate(vCache.get(i), cacheIdx, v), sliceBegin, sliceSize);
            Operand<TFloat32> scores = nn.scaled(tf.train.batchMatMul(q, keysAll, TFloat32.class, BatchMatMul.adjY(true)));
            Operand<TFloat32> probs = tf.nn.softmax(tf.math.add(scores, maskAdd));
            Operand<TFloat32> att = nn.reshape(tf.train.batchMatMul(probs, valuesAll, TFloat32.class), b, tf.constant(c.numHeads() * hd));
            x = tf.math.add(x, nn.linear(att, "l" + i + "_o"));
            x = tf.math.add(x, nn.mlp(i, nn.rmsNorm(x, vars.get("l" + i + "_post_norm"))));
        }
        return logits(nn.rmsNorm(x, vars.get("final_norm")));
    }

    private Operand<TFloat32> logits(Operand<TFloat32> hidden2d) {
        return nn.linear(hidden2d, c.tieWordEmbeddings() ? "embed" : "lm_head");
    }

    private Operand<TInt32> reshapeInt(Operand<TInt32> x, Operand<TInt32> d0, Operand<TInt32> d1) {
        return tf.reshape(x, tf.stack(List.of(d0, d1)));
    }

    private Operand<TInt32> reshapeInt(Operand<TInt32> x, Operand<TInt32> d0, Operand<TInt32> d1, Operand<TInt32> d2) {
        return tf.reshape(x, tf.stack(List.of(d0, d1, d2)));
    }
}


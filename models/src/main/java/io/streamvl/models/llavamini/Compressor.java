package io.streamvl.models.llavamini;

import io.streamvl.models.GraphVariables;
import io.streamvl.models.ModelFormatException;
import io.streamvl.models.TfSessions;
import io.streamvl.models.vision.VisionOptions;
import io.streamvl.models.weights.TensorSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.op.math.Mean;
import org.tensorflow.op.train.BatchMatMul;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * LLaVA-Mini's query-based compression, in the vision feature space (before the projector): C² learned
 * queries cross-attend once to a frame's M patch features.
 *
 * <pre>
 *   Xn = LN_kv(X);  Q = LN_q(query) + pos;  K = Xn + resize(pos, √M);  V = Xn
 *   out = MHA(Q, K, V)      // nn.MultiheadAttention, packed in-projection, no mask
 * </pre>
 * There is no residual, FFN or final norm. {@code pos} is the checkpoint's frozen {@code pos_embed}
 * (or the same 2-D sin-cos table when a checkpoint leaves it out), stretched to the patch grid with
 * PyTorch's bicubic resize. Not thread-safe.
 */
public final class Compressor implements AutoCloseable {
    private static final double LAYER_NORM_EPS = 1e-5;

    private final int gridSide;
    private final int width;
    private final int heads;
    private final int maxBatch;
    private final float[] posEmbed;
    private final Map<Integer, float[]> keyPositions = new HashMap<>();
    private final Graph graph;
    private final Session session;
    private final Placeholder<TFloat32> features;
    private final Placeholder<TFloat32> keyPosition;
    private final Operand<TFloat32> output;

    private Compressor(CompressorWeights.Dims dims, int heads, int maxBatch, float[] posEmbed, Graph graph,
            Session session, Placeholder<TFloat32> features, Placeholder<TFloat32> keyPosition, Operand<TFloat32> output) {
        this.gridSide = dims.gridSide();
        this.width = dims.width();
        this.heads = heads;
        this.maxBatch = maxBatch;
        this.posEmbed = posEmbed;
        this.graph = graph;
        this.session = session;
        this.features = features;
        this.keyPosition = keyPosition;
        this.output = output;
    }

    /**
     * @param prefix where the compressor's tensors live, {@link CompressorWeights#DEFAULT_PREFIX} in a LLaVA-Mini checkpoint
     * @param heads attention heads (8 in LLaVA-Mini; not recorded in the checkpoint)
     * @param options device and threads; {@code maxBatch} frames go through one run
     * @throws ModelFormatException when a tensor is missing or misshapen (before any TF work)
     */
    public static Compressor load(TensorSource weights, String prefix, int heads, VisionOptions options) {
        CompressorWeights.Dims dims = CompressorWeights.check(weights, prefix);
        int d = dims.width();
        int q = dims.queries();
        if (heads < 1 || d % heads != 0) {
            throw new ModelFormatException("compressor width " + d + " is not divisible into " + heads + " heads");
        }
        float[] pos = weights.info(prefix + CompressorWeights.POS_EMBED) != null
                ? weights.floats(prefix + CompressorWeights.POS_EMBED)
                : SinCos2d.grid(d, dims.gridSide());
        Graph graph = new Graph();
        Session session = null;
        try {
            Ops tf = TfSessions.place(Ops.create(graph), options.device());
            GraphVariables vars = new GraphVariables(tf);
            Operand<TFloat32> query = vars.add("query", weights.floats(prefix + CompressorWeights.QUERY), q, d);
            Operand<TFloat32> queryPos = vars.add("pos_embed", pos, q, d);
            Operand<TFloat32> lnQw = vars.add("ln_q_w", weights.floats(prefix + CompressorWeights.LN_Q + "weight"), d);
            Operand<TFloat32> lnQb = vars.add("ln_q_b", weights.floats(prefix + CompressorWeights.LN_Q + "bias"), d);
            Operand<TFloat32> lnKvW = vars.add("ln_kv_w", weights.floats(prefix + CompressorWeights.LN_KV + "weight"), d);
            Operand<TFloat32> lnKvB = vars.add("ln_kv_b", weights.floats(prefix + CompressorWeights.LN_KV + "bias"), d);
            Operand<TFloat32> inW = vars.add("in_proj_w", weights.floats(prefix + CompressorWeights.IN_PROJ_WEIGHT), 3L * d, d);
            Operand<TFloat32> inB = vars.add("in_proj_b", weights.floats(prefix + CompressorWeights.IN_PROJ_BIAS), 3L * d);
            Operand<TFloat32> outW = vars.add("out_proj_w", weights.floats(prefix + CompressorWeights.OUT_PROJ + "weight"), d, d);
            Operand<TFloat32> outB = vars.add("out_proj_b", weights.floats(prefix + CompressorWeights.OUT_PROJ + "bias"), d);

            Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1, d)));
            Placeholder<TFloat32> keyPos = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, d)));
            Attention att = new Attention(tf, d, heads);
            Operand<TFloat32> xn = layerNorm(tf, x, lnKvW, lnKvB);
            Operand<TFloat32> qIn = tf.math.add(layerNorm(tf, query, lnQw, lnQb), queryPos);
            Operand<TFloat32> out = att.apply(qIn, tf.math.add(xn, keyPos), xn, inW, inB, outW, outB);
            session = new Session(graph, TfSessions.config(options.intraOpThreads(), options.interOpThreads(),
                    options.gpuMemoryGrowth()));
            vars.load(session, null);
            return new Compressor(dims, heads, options.maxBatch(), pos, graph, session, x, keyPos, out);
        } catch (RuntimeException e) {
            if (session != null) {
                session.close();
            }
            graph.close();
            throw e;
        }
    }

    /** C: the compressed grid side; each frame becomes C² tokens (1 in the released model). */
    public int gridSide() {
        return gridSide;
    }

    public int tokensPerFrame() {
        return gridSide * gridSide;
    }

    /** Dv, the vision feature width (1024 for CLIP ViT-L). */
    public int width() {
        return width;
    }

    public int heads() {
        return heads;
    }

    /**
     * @param frameFeatures {@code [frames, M, Dv]} row-major, M a square number of patches (576 for 336/14)
     * @return {@code [frames, C², Dv]} row-major
     */
    public float[] compress(float[] frameFeatures, int frames) {
        if (frames < 1 || frameFeatures.length % ((long) frames * width) != 0) {
            throw new IllegalArgumentException(frameFeatures.length + " floats are not " + frames + " frames of "
                    + width + "-wide features");
        }
        int m = frameFeatures.length / (frames * width);
        float[] keyPos = keyPositions.computeIfAbsent(m, this::keyPositions);
        int q = tokensPerFrame();
        float[] out = new float[frames * q * width];
        try (TFloat32 kp = TFloat32.tensorOf(Shape.of(m, width))) {
            kp.asRawTensor().data().asFloats().write(keyPos);
            for (int start = 0; start < frames; start += maxBatch) {
                int n = Math.min(maxBatch, frames - start);
                try (TFloat32 x = TFloat32.tensorOf(Shape.of(n, m, width))) {
                    x.asRawTensor().data().asFloats().write(frameFeatures, start * m * width, n * m * width);
                    try (Result r = session.runner().feed(features, x).feed(keyPosition, kp).fetch(output).run()) {
                        ((TFloat32) r.get(0)).asRawTensor().data().asFloats().read(out, start * q * width, n * q * width);
                    }
                }
            }
        }
        return out;
    }

    private float[] keyPositions(int patches) {
        int side = (int) Math.round(Math.sqrt(patches));
        if (side * side != patches) {
            throw new IllegalArgumentException(patches + " patches per frame do not form a square grid");
        }
        return Bicubic.resize(posEmbed, gridSide, width, side);
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

    @Override
    public void close() {
        session.close();
        graph.close();
    }
}

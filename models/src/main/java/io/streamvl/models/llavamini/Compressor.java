package io.streamvl.models.llavamini;

import io.streamvl.models.GraphVariables;
import io.streamvl.models.ModelFormatException;
import io.streamvl.models.TfSessions;
import io.streamvl.models.vision.VisionOptions;
import io.streamvl.models.weights.TensorSource;
import java.util.HashMap;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

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
    private final CompressorLayers layers;
    private final int maxBatch;
    private final Map<Integer, float[]> keyPositions = new HashMap<>();
    private final Graph graph;
    private final Session session;
    private final Placeholder<TFloat32> features;
    private final Placeholder<TFloat32> keyPosition;
    private final Operand<TFloat32> output;

    private Compressor(CompressorLayers layers, int maxBatch, Graph graph, Session session,
            Placeholder<TFloat32> features, Placeholder<TFloat32> keyPosition, Operand<TFloat32> output) {
        this.layers = layers;
        this.maxBatch = maxBatch;
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
        Graph graph = new Graph();
        Session session = null;
        try {
            Ops tf = TfSessions.place(Ops.create(graph), options.device());
            GraphVariables vars = new GraphVariables(tf);
            CompressorLayers layers = CompressorLayers.declare(tf, vars, weights, prefix, heads);
            int d = layers.width();
            Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1, d)));
            Placeholder<TFloat32> keyPos = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, d)));
            Operand<TFloat32> out = layers.compress(x, keyPos);
            session = new Session(graph, TfSessions.config(options.intraOpThreads(), options.interOpThreads(),
                    options.gpuMemoryGrowth()));
            vars.load(session, weights);
            return new Compressor(layers, options.maxBatch(), graph, session, x, keyPos, out);
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
        return layers.gridSide();
    }

    public int tokensPerFrame() {
        return layers.gridSide() * layers.gridSide();
    }

    /** Dv, the vision feature width (1024 for CLIP ViT-L). */
    public int width() {
        return layers.width();
    }

    public int heads() {
        return layers.heads();
    }

    /**
     * @param frameFeatures {@code [frames, M, Dv]} row-major, M a square number of patches (576 for 336/14)
     * @return {@code [frames, C², Dv]} row-major
     */
    public float[] compress(float[] frameFeatures, int frames) {
        int d = layers.width();
        if (frames < 1 || frameFeatures.length % ((long) frames * d) != 0) {
            throw new IllegalArgumentException(frameFeatures.length + " floats are not " + frames + " frames of "
                    + d + "-wide features");
        }
        int m = frameFeatures.length / (frames * d);
        float[] keyPos = keyPositions.computeIfAbsent(m, layers::keyPositions);
        int q = tokensPerFrame();
        float[] out = new float[frames * q * d];
        try (TFloat32 kp = TFloat32.tensorOf(Shape.of(m, d))) {
            kp.asRawTensor().data().asFloats().write(keyPos);
            for (int start = 0; start < frames; start += maxBatch) {
                int n = Math.min(maxBatch, frames - start);
                try (TFloat32 x = TFloat32.tensorOf(Shape.of(n, m, d))) {
                    x.asRawTensor().data().asFloats().write(frameFeatures, start * m * d, n * m * d);
                    try (Result r = session.runner().feed(features, x).feed(keyPosition, kp).fetch(output).run()) {
                        ((TFloat32) r.get(0)).asRawTensor().data().asFloats().read(out, start * q * d, n * q * d);
                    }
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        session.close();
        graph.close();
    }
}

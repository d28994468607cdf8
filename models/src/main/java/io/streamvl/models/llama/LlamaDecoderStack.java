package io.streamvl.models.llama;

import io.streamvl.models.GraphVariables;
import io.streamvl.models.ModelFormatException;
import io.streamvl.models.weights.TensorSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * A stack of HF {@code LlamaDecoderLayer}s on its own, without embeddings, final RMSNorm, head or KV
 * cache: input embeddings in, the last layer's hidden states out. LLaVA-Mini's modality pre-fusion is
 * such a stack, with the LLM's hyper-parameters and its own weights under another prefix.
 *
 * <p>Attention is causal over columns with HF padding semantics: key j is visible to query i when
 * {@code j <= i} and {@code mask[j] != 0}; a masked column still gets an output row. Not thread-safe.
 */
public final class LlamaDecoderStack implements AutoCloseable {
    private final LlamaConfig config;
    private final int layers;
    private final Graph graph;
    private final Session session;
    private final Placeholder<TFloat32> input;
    private final Placeholder<TInt32> positions;
    private final Placeholder<TInt32> mask;
    private final Operand<TFloat32> output;

    private LlamaDecoderStack(LlamaConfig config, int layers, Graph graph, Session session, Placeholder<TFloat32> input,
            Placeholder<TInt32> positions, Placeholder<TInt32> mask, Operand<TFloat32> output) {
        this.config = config;
        this.layers = layers;
        this.graph = graph;
        this.session = session;
        this.input = input;
        this.positions = positions;
        this.mask = mask;
        this.output = output;
    }

    /**
     * @param config the layer shapes, norm epsilon and rotary settings; its {@code numLayers} is ignored
     * @param layers how many layers, read from {@code layerPrefix + i + ".self_attn.q_proj.weight"} etc.
     * @param layerPrefix e.g. {@code "model.layers."} or {@code "model.prefusion_layers."}
     * @throws ModelFormatException when a tensor is missing or misshapen (before any TF work)
     */
    public static LlamaDecoderStack load(LlamaConfig config, int layers, String layerPrefix, TensorSource weights,
            DecoderOptions options) {
        Graph graph = new Graph();
        Session session = null;
        try {
            Ops tf = options.place(Ops.create(graph));
            GraphVariables vars = new GraphVariables(tf);
            DecoderGraph stack = DecoderGraph.stack(tf, config, layers, layerPrefix, weights, vars);
            Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1, config.hiddenSize())));
            Placeholder<TInt32> pos = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, -1)));
            Placeholder<TInt32> keep = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, -1)));
            Operand<TFloat32> h = tf.identity(stack.hidden(x, pos, keep));
            session = new Session(graph, options.sessionConfig());
            vars.load(session, weights);
            return new LlamaDecoderStack(config, layers, graph, session, x, pos, keep, h);
        } catch (RuntimeException e) {
            if (session != null) {
                session.close();
            }
            graph.close();
            throw e;
        }
    }

    public LlamaConfig config() {
        return config;
    }

    public int layers() {
        return layers;
    }

    /**
     * The last layer's hidden states (no final norm) of a rectangular batch.
     *
     * @param x input embeddings {@code [batch][len][hidden]}
     * @param positionIds rotary position of each column, {@code [batch][len]}
     * @param keyMask 0 hides a column from every query, {@code [batch][len]}
     * @return {@code [batch][len][hidden]}
     */
    public float[][][] forward(float[][][] x, int[][] positionIds, int[][] keyMask) {
        int n = x.length;
        int len = n == 0 ? 0 : x[0].length;
        if (n == 0 || len == 0) {
            throw new IllegalArgumentException("empty decoder-stack input");
        }
        int d = config.hiddenSize();
        float[] flat = new float[n * len * d];
        for (int b = 0; b < n; b++) {
            if (x[b].length != len) {
                throw new IllegalArgumentException("input row " + b + " has " + x[b].length + " tokens, row 0 has " + len);
            }
            for (int j = 0; j < len; j++) {
                if (x[b][j].length != d) {
                    throw new IllegalArgumentException("embedding of width " + x[b][j].length + ", hidden size is " + d);
                }
                System.arraycopy(x[b][j], 0, flat, (b * len + j) * d, d);
            }
        }
        try (TFloat32 xt = TFloat32.tensorOf(Shape.of(n, len, d), DataBuffers.of(flat, true, false));
                TInt32 pt = ints("positions", positionIds, n, len);
                TInt32 mt = ints("mask", keyMask, n, len);
                Result r = session.runner().feed(input, xt).feed(positions, pt).feed(mask, mt).fetch(output).run()) {
            ((TFloat32) r.get(0)).asRawTensor().data().asFloats().read(flat);
        }
        float[][][] out = new float[n][len][d];
        for (int b = 0; b < n; b++) {
            for (int j = 0; j < len; j++) {
                System.arraycopy(flat, (b * len + j) * d, out[b][j], 0, d);
            }
        }
        return out;
    }

    private static TInt32 ints(String what, int[][] rows, int n, int len) {
        if (rows.length != n) {
            throw new IllegalArgumentException(what + " has " + rows.length + " rows, the input " + n);
        }
        int[] flat = new int[n * len];
        for (int b = 0; b < n; b++) {
            if (rows[b].length != len) {
                throw new IllegalArgumentException(what + " row of " + rows[b].length + " columns, the input has " + len);
            }
            System.arraycopy(rows[b], 0, flat, b * len, len);
        }
        return TInt32.tensorOf(Shape.of(n, len), DataBuffers.of(flat, true, false));
    }

    @Override
    public void close() {
        session.close();
        graph.close();
    }
}

package io.streamvl.models.vision;

import io.streamvl.models.GraphVariables;
import io.streamvl.models.ModelFormatException;
import io.streamvl.models.bundle.ModelBundle;
import io.streamvl.models.weights.TensorSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * LLaVA's {@code mlp2x_gelu} projector ({@link ProjectorLayers}) in its own TF graph; maps vision features
 * to the LLM's embedding width. Not thread-safe.
 */
public final class Projector implements AutoCloseable {
    /** Bounds the hidden activations of one run (8192 x 4096 floats = 128 MB at D = 4096); 14 ViT-L frames. */
    private static final int ROWS_PER_RUN = 8192;

    private final int inputSize;
    private final int outputSize;
    private final Graph graph;
    private final Session session;
    private final Placeholder<TFloat32> input;
    private final Operand<TFloat32> output;

    private Projector(int in, int out, Graph graph, Session session,
            Placeholder<TFloat32> input, Operand<TFloat32> output) {
        this.inputSize = in;
        this.outputSize = out;
        this.graph = graph;
        this.session = session;
        this.input = input;
        this.output = output;
    }

    /**
     * @param weights a checkpoint holding the projector under a known name (see {@link ProjectorWeights#projector})
     * @throws ModelFormatException when a tensor is missing or misshapen (before any TF work)
     */
    public static Projector load(TensorSource weights, VisionOptions options) {
        TensorSource source = ProjectorWeights.projector(weights);
        int[] dims = ProjectorWeights.dims(source);
        int in = dims[0];
        int out = dims[1];
        Graph graph = new Graph();
        Session session = null;
        try {
            Ops tf = options.scope(Ops.create(graph));
            GraphVariables vars = new GraphVariables(tf);
            ProjectorLayers mlp = new ProjectorLayers(tf, vars, in, out);
            Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, in)));
            Operand<TFloat32> y = mlp.project(x);
            session = new Session(graph, options.sessionConfig());
            vars.load(session, source);
            return new Projector(in, out, graph, session, x, y);
        } catch (RuntimeException e) {
            if (session != null) {
                session.close();
            }
            graph.close();
            throw e;
        }
    }

    /** The projector of a LLaVA-style bundle, after checking its config names {@code mlp2x_gelu}. */
    public static Projector load(ModelBundle bundle, VisionOptions options) {
        ProjectorWeights.checkType(bundle.hfConfig());
        return load(bundle.weights(), options);
    }

    /** Vision feature width (1024 for ViT-L). */
    public int inputSize() {
        return inputSize;
    }

    /** LLM embedding width D. */
    public int outputSize() {
        return outputSize;
    }

    /**
     * @param features {@code [rows, inputSize]} row-major, e.g. {@link ClipVisionTower#features} of several frames
     * @return {@code [rows, outputSize]} row-major
     */
    public float[] project(float[] features, int rows) {
        if (rows < 1 || features.length != (long) rows * inputSize) {
            throw new IllegalArgumentException("expected " + rows + " rows of " + inputSize + " floats, got "
                    + features.length + " floats");
        }
        float[] out = new float[Math.multiplyExact(rows, outputSize)];
        for (int start = 0; start < rows; start += ROWS_PER_RUN) {
            int n = Math.min(ROWS_PER_RUN, rows - start);
            try (TFloat32 x = TFloat32.tensorOf(Shape.of(n, inputSize))) {
                x.asRawTensor().data().asFloats().write(features, start * inputSize, n * inputSize);
                try (Result r = session.runner().feed(input, x).fetch(output).run()) {
                    ((TFloat32) r.get(0)).asRawTensor().data().asFloats().read(out, start * outputSize, n * outputSize);
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

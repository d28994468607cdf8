package io.streamvl.models.vision;

import io.streamvl.models.GraphVariables;
import io.streamvl.models.ModelFormatException;
import io.streamvl.models.bundle.ModelBundle;
import io.streamvl.models.weights.TensorSource;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/**
 * HF {@code CLIPVisionModel} in TensorFlow, float32, returning LLaVA's image features: the hidden state
 * {@code hidden_states[selectLayer]} with the class token dropped, {@code [N, patches, hidden]}. Layers
 * after the selected one are neither loaded nor built.
 *
 * <p>Batching: one call takes frames from any number of streams; calls of more than
 * {@link VisionOptions#maxBatch()} frames run in chunks of that size, which bounds activation memory at
 * about {@code maxBatch * config.activationBytesPerFrame()} (ViT-L/14-336: ~80 MB per frame, so ~1.3 GB at batch 16).
 * The graph has a dynamic batch dimension, so every batch size up to the maximum runs the same graph.
 * Not thread-safe: one caller drives a tower at a time.
 */
public final class ClipVisionTower implements AutoCloseable {
    private final ClipVisionConfig config;
    private final int selectLayer;
    private final int layers;
    private final VisionOptions options;
    private final ClipVisionGraph g;
    private final Session session;

    private ClipVisionTower(ClipVisionConfig config, int selectLayer, int layers, VisionOptions options,
            ClipVisionGraph g, Session session) {
        this.config = config;
        this.selectLayer = selectLayer;
        this.layers = layers;
        this.options = options;
        this.g = g;
        this.session = session;
    }

    /**
     * @param selectLayer HF {@code hidden_states} index, negative from the end ({@code -2}: LLaVA)
     * @param weights a checkpoint holding the tower bare or under a known prefix (see {@link ClipVisionWeights#tower})
     * @throws ModelFormatException when a tensor is missing or misshapen (before any TF work)
     */
    public static ClipVisionTower load(ClipVisionConfig config, int selectLayer, TensorSource weights,
            VisionOptions options) {
        int layers = config.layersFor(selectLayer);
        TensorSource tower = ClipVisionWeights.tower(weights);
        ClipVisionWeights.check(config, layers, tower);
        ClipVisionGraph graph = new ClipVisionGraph(config, layers, options);
        Session session = null;
        try {
            session = new Session(graph.graph, options.sessionConfig());
            graph.weights.load(session, tower);
            return new ClipVisionTower(config, selectLayer, layers, options, graph, session);
        } catch (RuntimeException e) {
            if (session != null) {
                session.close();
            }
            graph.graph.close();
            throw e;
        }
    }

    /** The tower of a LLaVA-style bundle, at the layer its {@code config.json} selects. */
    public static ClipVisionTower load(ModelBundle bundle, VisionOptions options) {
        ClipVisionConfig config = ClipVisionConfigs.fromHf(bundle.hfConfig());
        return load(config, ClipVisionConfigs.selectLayer(bundle.hfConfig()), bundle.weights(), options);
    }

    public ClipVisionConfig config() {
        return config;
    }

    public int selectLayer() {
        return selectLayer;
    }

    /** Encoder layers that run per frame. */
    public int layers() {
        return layers;
    }

    public VisionOptions options() {
        return options;
    }

    /** Floats of one frame's features: {@code patches * hidden}. */
    public int featureFloatsPerFrame() {
        return config.numPatches() * config.hiddenSize();
    }

    /**
     * Features of {@code n} frames.
     *
     * @param images {@code n} normalised images, NHWC {@code [n, imageSize, imageSize, 3]} row-major
     * @return {@code [n, patches, hidden]} row-major
     */
    public float[] features(float[] images, int n) {
        int in = config.imageFloats();
        if (n < 1 || images.length != (long) n * in) {
            throw new IllegalArgumentException("expected " + n + " images of " + config.imageSize() + "x"
                    + config.imageSize() + "x3 (" + (long) n * in + " floats), got " + images.length + " floats");
        }
        int perFrame = featureFloatsPerFrame();
        float[] out = new float[Math.multiplyExact(n, perFrame)];
        for (int start = 0; start < n; start += options.maxBatch()) {
            int chunk = Math.min(options.maxBatch(), n - start);
            try (TFloat32 x = TFloat32.tensorOf(Shape.of(chunk, config.imageSize(), config.imageSize(),
                    ClipVisionConfig.CHANNELS))) {
                x.asRawTensor().data().asFloats().write(images, start * in, chunk * in);
                try (Result r = session.runner().feed(g.images, x).fetch(g.features).run()) {
                    ((TFloat32) r.get(0)).asRawTensor().data().asFloats().read(out, start * perFrame, chunk * perFrame);
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        session.close();
        g.graph.close();
    }
}

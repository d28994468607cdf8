package io.streamvl.models.vision;

import io.streamvl.models.GraphVariables;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.op.train.BatchMatMul;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * {@code CLIPVisionTransformer}'s math up to the selected hidden state, built into any graph (the tower's own,
 * or a training graph that differentiates it). The patch-embedding convolution (kernel = stride = patch) is a
 * matmul over flattened patches, which takes PyTorch's OIHW kernel as stored; q/k/v run as one fused matmul.
 */
public final class ClipVisionLayers {
    private final ClipVisionConfig c;
    private final Ops tf;
    private final Layers nn;
    private final GraphVariables weights;
    private final int layers;

    /**
     * Declares the weights of the embeddings and the first {@code layers} encoder layers in {@code weights},
     * to be loaded from a tower's tensors under unprefixed HF names ({@link ClipVisionWeights}).
     */
    public ClipVisionLayers(Ops tf, ClipVisionConfig config, int layers, GraphVariables weights) {
        this.c = config;
        this.tf = tf;
        this.nn = new Layers(tf);
        this.weights = weights;
        this.layers = layers;
        declareWeights(layers);
    }

    /**
     * @param images NHWC {@code [N, imageSize, imageSize, 3]}, normalised
     * @return {@code [N, patches, hidden]}: the selected hidden state with the class token dropped
     */
    public Operand<TFloat32> features(Operand<TFloat32> images) {
        Operand<TInt32> n = tf.squeeze(tf.slice(tf.shape(images), tf.constant(new int[] {0}), tf.constant(new int[] {1})));
        Operand<TFloat32> x = embeddings(images, n);
        x = nn.layerNorm(x, weights.get("pre_ln_w"), weights.get("pre_ln_b"), c.layerNormEps());
        x = tf.reshape(x, tf.constant(new int[] {-1, c.hiddenSize()}));
        for (int i = 0; i < layers; i++) {
            x = encoderLayer(i, x, n);
        }
        Operand<TFloat32> all = nn.reshape(x, List.of(n, tf.constant(c.numPositions()), tf.constant(c.hiddenSize())));
        return tf.slice(all, tf.constant(new int[] {0, 1, 0}), tf.constant(new int[] {-1, -1, -1}));
    }

    private void declareWeights(int layers) {
        long d = c.hiddenSize();
        long m = c.intermediateSize();
        weights.add("patch_w", new long[] {d, c.patchFloats()}, "embeddings.patch_embedding.weight");
        weights.add("class", new long[] {d}, "embeddings.class_embedding");
        weights.add("positions", new long[] {c.numPositions(), d}, "embeddings.position_embedding.weight");
        weights.add("pre_ln_w", new long[] {d}, "pre_layrnorm.weight");
        weights.add("pre_ln_b", new long[] {d}, "pre_layrnorm.bias");
        for (int i = 0; i < layers; i++) {
            String l = "l" + i + "_";
            weights.add(l + "ln1_w", new long[] {d}, ClipVisionWeights.layer(i, "layer_norm1.weight"));
            weights.add(l + "ln1_b", new long[] {d}, ClipVisionWeights.layer(i, "layer_norm1.bias"));
            weights.add(l + "qkv_w", new long[] {3 * d, d}, ClipVisionWeights.layer(i, "self_attn.q_proj.weight"),
                    ClipVisionWeights.layer(i, "self_attn.k_proj.weight"),
                    ClipVisionWeights.layer(i, "self_attn.v_proj.weight"));
            weights.add(l + "qkv_b", new long[] {3 * d}, ClipVisionWeights.layer(i, "self_attn.q_proj.bias"),
                    ClipVisionWeights.layer(i, "self_attn.k_proj.bias"),
                    ClipVisionWeights.layer(i, "self_attn.v_proj.bias"));
            weights.add(l + "out_w", new long[] {d, d}, ClipVisionWeights.layer(i, "self_attn.out_proj.weight"));
            weights.add(l + "out_b", new long[] {d}, ClipVisionWeights.layer(i, "self_attn.out_proj.bias"));
            weights.add(l + "ln2_w", new long[] {d}, ClipVisionWeights.layer(i, "layer_norm2.weight"));
            weights.add(l + "ln2_b", new long[] {d}, ClipVisionWeights.layer(i, "layer_norm2.bias"));
            weights.add(l + "fc1_w", new long[] {m, d}, ClipVisionWeights.layer(i, "mlp.fc1.weight"));
            weights.add(l + "fc1_b", new long[] {m}, ClipVisionWeights.layer(i, "mlp.fc1.bias"));
            weights.add(l + "fc2_w", new long[] {d, m}, ClipVisionWeights.layer(i, "mlp.fc2.weight"));
            weights.add(l + "fc2_b", new long[] {d}, ClipVisionWeights.layer(i, "mlp.fc2.bias"));
        }
    }

    /** {@code [N, 1 + patches, hidden]}: class token then patches in row-major grid order, plus positions. */
    private Operand<TFloat32> embeddings(Operand<TFloat32> images, Operand<TInt32> n) {
        int g = c.patchesPerSide();
        int p = c.patchSize();
        int d = c.hiddenSize();
        Operand<TFloat32> grid = nn.reshape(images, List.of(n, tf.constant(g), tf.constant(p), tf.constant(g),
                tf.constant(p), tf.constant(ClipVisionConfig.CHANNELS)));
        // [N, gy, gx, channel, ky, kx]: the order of PyTorch's flattened [out, in, kh, kw] kernel.
        Operand<TFloat32> patches = tf.reshape(tf.linalg.transpose(grid, tf.constant(new int[] {0, 1, 3, 5, 2, 4})),
                tf.constant(new int[] {-1, c.patchFloats()}));
        Operand<TFloat32> embedded = nn.reshape(tf.linalg.matMul(patches, weights.get("patch_w"),
                MatMul.transposeB(true)), List.of(n, tf.constant(c.numPatches()), tf.constant(d)));
        Operand<TFloat32> cls = tf.broadcastTo(tf.reshape(weights.get("class"), tf.constant(new int[] {1, 1, d})),
                tf.stack(List.of(n, tf.constant(1), tf.constant(d))));
        return tf.math.add(tf.concat(List.of(cls, embedded), tf.constant(1)), weights.get("positions"));
    }

    /** Pre-norm residual block on rows {@code [N * positions, hidden]}. */
    private Operand<TFloat32> encoderLayer(int i, Operand<TFloat32> x, Operand<TInt32> n) {
        String l = "l" + i + "_";
        int d = c.hiddenSize();
        Operand<TFloat32> h = nn.layerNorm(x, weights.get(l + "ln1_w"), weights.get(l + "ln1_b"), c.layerNormEps());
        var qkv = tf.split(tf.constant(-1), nn.linear(h, weights.get(l + "qkv_w"), weights.get(l + "qkv_b")), 3L).output();
        Operand<TFloat32> q = heads(tf.math.mul(qkv.get(0), tf.constant((float) (1 / Math.sqrt(c.headDim())))), n);
        Operand<TFloat32> k = heads(qkv.get(1), n);
        Operand<TFloat32> v = heads(qkv.get(2), n);
        Operand<TFloat32> probs = tf.nn.softmax(tf.train.batchMatMul(q, k, TFloat32.class, BatchMatMul.adjY(true)));
        Operand<TFloat32> att = tf.train.batchMatMul(probs, v, TFloat32.class);
        Operand<TFloat32> merged = tf.reshape(tf.linalg.transpose(att, tf.constant(new int[] {0, 2, 1, 3})),
                tf.constant(new int[] {-1, d}));
        x = tf.math.add(x, nn.linear(merged, weights.get(l + "out_w"), weights.get(l + "out_b")));
        h = nn.layerNorm(x, weights.get(l + "ln2_w"), weights.get(l + "ln2_b"), c.layerNormEps());
        h = nn.activation(nn.linear(h, weights.get(l + "fc1_w"), weights.get(l + "fc1_b")), c.hiddenAct());
        return tf.math.add(x, nn.linear(h, weights.get(l + "fc2_w"), weights.get(l + "fc2_b")));
    }

    /** Rows {@code [N * T, hidden]} to {@code [N, heads, T, headDim]}. */
    private Operand<TFloat32> heads(Operand<TFloat32> rows, Operand<TInt32> n) {
        Operand<TFloat32> split = nn.reshape(rows, List.of(n, tf.constant(c.numPositions()), tf.constant(c.numHeads()),
                tf.constant(c.headDim())));
        return tf.linalg.transpose(split, tf.constant(new int[] {0, 2, 1, 3}));
    }
}

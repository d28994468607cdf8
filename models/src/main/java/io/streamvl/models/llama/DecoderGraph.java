package io.streamvl.models.llama;

import io.streamvl.models.GraphVariables;
import io.streamvl.models.ModelFormatException;
import io.streamvl.models.weights.TensorSource;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Cache-free LLaMA math over whole sequences, built into any graph with the same layer ops as the cached
 * decoder ({@link LlamaLayers}): a bare stack of decoder layers (LLaVA-Mini's pre-fusion), or a whole
 * causal LM with embeddings, final norm and head. Without scatter updates it is differentiable, which is
 * what a training graph needs. Weights are {@link GraphVariables} loaded from HF names.
 */
public final class DecoderGraph {
    private final Ops tf;
    private final LlamaConfig config;
    private final int layers;
    private final GraphVariables vars;
    private final LlamaLayers nn;

    private DecoderGraph(Ops tf, LlamaConfig config, int layers, GraphVariables vars) {
        this.tf = tf;
        this.config = config;
        this.layers = layers;
        this.vars = vars;
        this.nn = new LlamaLayers(tf, config, vars::get);
    }

    /**
     * {@code layers} decoder layers read from {@code layerPrefix + i + "."}, e.g. {@code "model.prefusion_layers."}.
     *
     * @throws ModelFormatException when a tensor is missing or misshapen
     */
    public static DecoderGraph stack(Ops tf, LlamaConfig config, int layers, String layerPrefix, TensorSource weights,
            GraphVariables vars) {
        if (layers < 1) {
            throw new IllegalArgumentException("a decoder stack needs at least one layer, got " + layers);
        }
        LlamaModel.validate(config);
        List<WeightLayout.Slot> slots = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            slots.addAll(WeightLayout.layer(config, weights, layerPrefix, i));
        }
        return declare(tf, config, layers, slots, vars);
    }

    /**
     * A {@code LlamaForCausalLM} under its plain HF names ({@code model.embed_tokens.weight}, ...).
     *
     * @throws ModelFormatException when a tensor is missing or misshapen
     */
    public static DecoderGraph causalLm(Ops tf, LlamaConfig config, TensorSource weights, GraphVariables vars) {
        LlamaModel.validate(config);
        return declare(tf, config, config.numLayers(), WeightLayout.plan(config, weights), vars);
    }

    private static DecoderGraph declare(Ops tf, LlamaConfig config, int layers, List<WeightLayout.Slot> slots,
            GraphVariables vars) {
        for (WeightLayout.Slot s : slots) {
            vars.add(s.variable(), s.shape(), s.parts().toArray(String[]::new));
        }
        return new DecoderGraph(tf, config, layers, vars);
    }

    /**
     * The last layer's hidden states (no final norm), with HF padding semantics: key j is visible to query i
     * when {@code j <= i} and {@code keyMask[j] != 0}.
     *
     * @param x input embeddings {@code [batch, len, hidden]}
     * @param positions rotary position of each column, {@code [batch, len]}
     * @param keyMask {@code [batch, len]}
     */
    public Operand<TFloat32> hidden(Operand<TFloat32> x, Operand<TInt32> positions, Operand<TInt32> keyMask) {
        List<Operand<TFloat32>> outputs = layerOutputs(x, positions, keyMask);
        return outputs.isEmpty() ? x : outputs.get(outputs.size() - 1);
    }

    /** Each layer's hidden states, first layer first, as {@link #hidden} computes them: for losses on inner layers. */
    public List<Operand<TFloat32>> layerOutputs(Operand<TFloat32> x, Operand<TInt32> positions,
            Operand<TInt32> keyMask) {
        Operand<TInt32> shape = tf.shape(x);
        Operand<TInt32> b = nn.dim(shape, 0);
        Operand<TInt32> p = nn.dim(shape, 1);
        LlamaLayers.Rope rope = nn.prefillRope(positions, b, p);
        Operand<TFloat32> maskAdd = nn.causalMask(keyMask, b, p);
        List<Operand<TFloat32>> outputs = new ArrayList<>(layers);
        Operand<TFloat32> h = x;
        for (int i = 0; i < layers; i++) {
            h = nn.prefillLayer(i, h, b, p, rope, maskAdd, (layer, k, v) -> { });
            outputs.add(h);
        }
        return outputs;
    }

    /** Token embeddings {@code [batch, len, hidden]} of {@code ids [batch, len]}; only for {@link #causalLm}. */
    public Operand<TFloat32> embed(Operand<TInt32> ids) {
        return tf.gather(vars.get("embed"), ids, tf.constant(0));
    }

    /** Final RMSNorm and head over {@code [batch, len, hidden]}: {@code [batch, len, vocab]}; only for {@link #causalLm}. */
    public Operand<TFloat32> logits(Operand<TFloat32> hidden) {
        Operand<TInt32> shape = tf.shape(hidden);
        Operand<TFloat32> normed = nn.flat(nn.rmsNorm(hidden, vars.get("final_norm")));
        Operand<TFloat32> logits = nn.linear(normed, config.tieWordEmbeddings() ? "embed" : "lm_head");
        return nn.reshape(logits, nn.dim(shape, 0), nn.dim(shape, 1), tf.constant(config.vocabSize()));
    }
}

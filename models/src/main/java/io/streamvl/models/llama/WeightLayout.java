package io.streamvl.models.llama;

import io.streamvl.models.ModelFormatException;
import io.streamvl.models.weights.TensorInfo;
import io.streamvl.models.weights.TensorSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The decoder's weights as the graph stores them: each graph variable is one or more HF tensors
 * concatenated along rows (q/k/v fused, gate/up fused), so a decode step runs fewer, larger matmuls.
 */
final class WeightLayout {
    /** A graph variable of {@code rows x cols} (cols 0 for vectors) filled from {@code parts} in order. */
    record Slot(String variable, long rows, long cols, List<String> parts) {
        long[] shape() {
            return cols == 0 ? new long[] {rows} : new long[] {rows, cols};
        }
    }

    private WeightLayout() {}

    /** Where {@code LlamaForCausalLM} keeps its decoder layers. */
    static final String LAYERS = "model.layers.";

    static String layer(int i, String suffix) {
        return LAYERS + i + "." + suffix;
    }

    /** The slots of decoder layer {@code i} stored under {@code prefix + i + "."}, as variables {@code l<i>_*}. */
    static List<Slot> layer(LlamaConfig c, TensorSource source, String prefix, int i) {
        long d = c.hiddenSize();
        long qRows = (long) c.numHeads() * c.headDim();
        long kvRows = (long) c.numKvHeads() * c.headDim();
        long inter = c.intermediateSize();
        String at = prefix + i + ".";
        rejectBias(source, at);
        return List.of(
                new Slot("l" + i + "_in_norm", d, 0, List.of(expect(source, at + "input_layernorm.weight", d))),
                new Slot("l" + i + "_qkv", qRows + 2 * kvRows, d, List.of(
                        expect(source, at + "self_attn.q_proj.weight", qRows, d),
                        expect(source, at + "self_attn.k_proj.weight", kvRows, d),
                        expect(source, at + "self_attn.v_proj.weight", kvRows, d))),
                new Slot("l" + i + "_o", d, qRows, List.of(expect(source, at + "self_attn.o_proj.weight", d, qRows))),
                new Slot("l" + i + "_post_norm", d, 0, List.of(expect(source, at + "post_attention_layernorm.weight", d))),
                new Slot("l" + i + "_gate_up", 2 * inter, d, List.of(
                        expect(source, at + "mlp.gate_proj.weight", inter, d),
                        expect(source, at + "mlp.up_proj.weight", inter, d))),
                new Slot("l" + i + "_down", d, inter, List.of(expect(source, at + "mlp.down_proj.weight", d, inter))));
    }

    /** Checks every tensor the config needs against the source, so a bad checkpoint fails before any TF work. */
    static List<Slot> plan(LlamaConfig c, TensorSource source) {
        long d = c.hiddenSize();
        List<Slot> slots = new ArrayList<>();
        slots.add(new Slot("embed", c.vocabSize(), d, List.of(expect(source, "model.embed_tokens.weight", c.vocabSize(), d))));
        for (int i = 0; i < c.numLayers(); i++) {
            slots.addAll(layer(c, source, LAYERS, i));
        }
        slots.add(new Slot("final_norm", d, 0, List.of(expect(source, "model.norm.weight", d))));
        if (!c.tieWordEmbeddings()) {
            slots.add(new Slot("lm_head", c.vocabSize(), d, List.of(expect(source, "lm_head.weight", c.vocabSize(), d))));
        }
        return slots;
    }

    private static String expect(TensorSource source, String name, long... shape) {
        TensorInfo info = source.info(name);
        if (info == null) {
            throw new ModelFormatException("missing tensor " + name + " (expected shape " + Arrays.toString(shape) + ")");
        }
        if (!info.hasShape(shape)) {
            throw new ModelFormatException("tensor " + name + " has shape " + Arrays.toString(info.shape())
                    + ", the config needs " + Arrays.toString(shape));
        }
        if (!info.dtype().isFloating()) {
            throw new ModelFormatException("tensor " + name + " is " + info.dtype() + ", expected a floating type");
        }
        return name;
    }

    private static void rejectBias(TensorSource source, String layerPrefix) {
        for (String p : List.of("self_attn.q_proj.bias", "self_attn.k_proj.bias", "self_attn.v_proj.bias",
                "self_attn.o_proj.bias", "mlp.gate_proj.bias", "mlp.up_proj.bias", "mlp.down_proj.bias")) {
            if (source.info(layerPrefix + p) != null) {
                throw new ModelFormatException("tensor " + layerPrefix + p + ": projection biases are not supported");
            }
        }
    }
}

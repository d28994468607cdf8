package io.streamvl.models.bundle;

import io.streamvl.models.ModelFormatException;
import io.streamvl.models.llama.LlamaConfig;
import io.streamvl.models.weights.PrefixedTensors;
import io.streamvl.models.weights.TensorInfo;
import io.streamvl.models.weights.TensorSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The HF tensor names and shapes of a {@code LlamaForCausalLM}, and checks of a checkpoint against them. */
public final class LlamaWeights {
    /** Problems listed in one error message; the rest are counted. */
    private static final int REPORTED_PROBLEMS = 8;

    private static final Map<String, String> LLAVA_HF = prefixes("language_model.model.", "language_model.lm_head.");
    /** transformers 4.52 and later save LLaVA with the decoder under {@code model.language_model}. */
    private static final Map<String, String> LLAVA_HF_452 = prefixes("model.language_model.", "lm_head.");

    private LlamaWeights() {}

    /** Every tensor the config needs, in checkpoint order, with its shape. */
    public static Map<String, long[]> expected(LlamaConfig c) {
        long hidden = c.hiddenSize();
        long q = (long) c.numHeads() * c.headDim();
        long kv = (long) c.numKvHeads() * c.headDim();
        long inter = c.intermediateSize();
        Map<String, long[]> out = new LinkedHashMap<>();
        out.put("model.embed_tokens.weight", new long[] {c.vocabSize(), hidden});
        for (int i = 0; i < c.numLayers(); i++) {
            String layer = "model.layers." + i + ".";
            out.put(layer + "input_layernorm.weight", new long[] {hidden});
            out.put(layer + "self_attn.q_proj.weight", new long[] {q, hidden});
            out.put(layer + "self_attn.k_proj.weight", new long[] {kv, hidden});
            out.put(layer + "self_attn.v_proj.weight", new long[] {kv, hidden});
            out.put(layer + "self_attn.o_proj.weight", new long[] {hidden, q});
            out.put(layer + "post_attention_layernorm.weight", new long[] {hidden});
            out.put(layer + "mlp.gate_proj.weight", new long[] {inter, hidden});
            out.put(layer + "mlp.up_proj.weight", new long[] {inter, hidden});
            out.put(layer + "mlp.down_proj.weight", new long[] {hidden, inter});
        }
        out.put("model.norm.weight", new long[] {hidden});
        if (!c.tieWordEmbeddings()) {
            out.put("lm_head.weight", new long[] {c.vocabSize(), hidden});
        }
        return out;
    }

    /** The shapes attention biases must have when a checkpoint has them ({@code attention_bias: true}). */
    static Map<String, long[]> optionalBiases(LlamaConfig c) {
        long q = (long) c.numHeads() * c.headDim();
        long kv = (long) c.numKvHeads() * c.headDim();
        Map<String, long[]> out = new LinkedHashMap<>();
        for (int i = 0; i < c.numLayers(); i++) {
            String attn = "model.layers." + i + ".self_attn.";
            out.put(attn + "q_proj.bias", new long[] {q});
            out.put(attn + "k_proj.bias", new long[] {kv});
            out.put(attn + "v_proj.bias", new long[] {kv});
            out.put(attn + "o_proj.bias", new long[] {c.hiddenSize()});
        }
        return out;
    }

    /**
     * Checks that every tensor {@link #expected} lists is present, floating and of the right shape, and
     * that attention biases, where present, fit too.
     *
     * @throws ModelFormatException listing the first problems, expected vs actual shape
     */
    public static void check(LlamaConfig config, TensorSource weights) {
        List<String> problems = new ArrayList<>();
        expected(config).forEach((name, shape) -> checkTensor(weights, name, shape, true, problems));
        optionalBiases(config).forEach((name, shape) -> checkTensor(weights, name, shape, false, problems));
        if (problems.isEmpty()) {
            return;
        }
        StringBuilder message = new StringBuilder("weights do not fit the LLaMA config (")
                .append(problems.size()).append(problems.size() == 1 ? " problem" : " problems").append("):");
        problems.stream().limit(REPORTED_PROBLEMS).forEach(p -> message.append("\n  ").append(p));
        if (problems.size() > REPORTED_PROBLEMS) {
            message.append("\n  ... and ").append(problems.size() - REPORTED_PROBLEMS).append(" more");
        }
        throw new ModelFormatException(message.toString());
    }

    /**
     * The decoder's tensors under their plain HF names: the source itself for a LLaMA checkpoint, a
     * renamed view for LLaVA checkpoints ({@code language_model.model.*} and {@code language_model.lm_head.*},
     * or the newer {@code model.language_model.*} and {@code lm_head.*}).
     */
    public static TensorSource languageModel(TensorSource weights) {
        if (weights.info("model.embed_tokens.weight") != null) {
            return weights;
        }
        if (weights.info("language_model.model.embed_tokens.weight") != null) {
            return new PrefixedTensors(weights, LLAVA_HF);
        }
        if (weights.info("model.language_model.embed_tokens.weight") != null) {
            return new PrefixedTensors(weights, LLAVA_HF_452);
        }
        return weights;
    }

    private static void checkTensor(TensorSource weights, String name, long[] shape, boolean required,
            List<String> problems) {
        TensorInfo info = weights.info(name);
        if (info == null) {
            if (required) {
                problems.add(name + ": missing (expected " + Arrays.toString(shape) + ")");
            }
        } else if (!info.hasShape(shape)) {
            problems.add(name + ": shape " + Arrays.toString(info.shape()) + ", expected " + Arrays.toString(shape));
        } else if (!info.dtype().isFloating()) {
            problems.add(name + ": dtype " + info.dtype() + ", expected a floating type");
        }
    }

    private static Map<String, String> prefixes(String model, String lmHead) {
        Map<String, String> map = new LinkedHashMap<>();
        map.put("model.", model);
        map.put("lm_head.", lmHead);
        return map;
    }
}

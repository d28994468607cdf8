package io.streamvl.models.llama;

import io.streamvl.models.weights.RandomTensors;
import io.streamvl.models.weights.TensorInfo;
import java.util.SplittableRandom;

/**
 * Seeded random weights in HF names for a config, generated on demand (nothing held), for benchmarks
 * and tests. Scales keep activations near unit variance and logits well spread, so greedy decoding
 * has clear winners.
 */
final class RandomLlamaWeights extends RandomTensors {

    RandomLlamaWeights(LlamaConfig c, long seed) {
        super(seed);
        long d = c.hiddenSize();
        long q = (long) c.numHeads() * c.headDim();
        long kv = (long) c.numKvHeads() * c.headDim();
        add("model.embed_tokens.weight", c.vocabSize(), d);
        for (int i = 0; i < c.numLayers(); i++) {
            add(WeightLayout.layer(i, "input_layernorm.weight"), d);
            add(WeightLayout.layer(i, "self_attn.q_proj.weight"), q, d);
            add(WeightLayout.layer(i, "self_attn.k_proj.weight"), kv, d);
            add(WeightLayout.layer(i, "self_attn.v_proj.weight"), kv, d);
            add(WeightLayout.layer(i, "self_attn.o_proj.weight"), d, q);
            add(WeightLayout.layer(i, "post_attention_layernorm.weight"), d);
            add(WeightLayout.layer(i, "mlp.gate_proj.weight"), c.intermediateSize(), d);
            add(WeightLayout.layer(i, "mlp.up_proj.weight"), c.intermediateSize(), d);
            add(WeightLayout.layer(i, "mlp.down_proj.weight"), d, c.intermediateSize());
        }
        add("model.norm.weight", d);
        if (!c.tieWordEmbeddings()) {
            add("lm_head.weight", c.vocabSize(), d);
        }
    }

    @Override
    protected void fill(TensorInfo info, SplittableRandom random, float[] out) {
        String name = info.name();
        if (info.shape().length == 1) {
            for (int i = 0; i < out.length; i++) {
                out[i] = (float) (1 + random.nextDouble(-0.2, 0.2));
            }
            return;
        }
        double bound = name.equals("model.embed_tokens.weight") ? 1 : Math.sqrt(3.0 / info.shape()[1]);
        if (name.equals("lm_head.weight")) {
            bound *= 4;
        }
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) random.nextDouble(-bound, bound);
        }
    }
}

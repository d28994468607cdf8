package io.streamvl.models.llavamini;

import io.streamvl.models.llama.LlamaConfig;
import io.streamvl.models.llama.RopeScaling;
import io.streamvl.models.weights.InMemoryTensors;
import java.util.List;
import java.util.SplittableRandom;

/** Seeded random LLaVA-Mini parts in HF names: pre-fusion layers and compressors, small enough for loop references. */
final class TinyLlavaMiniParts {
    /** GQA with head_dim != hidden / heads and llama3 rotary scaling, like Llama-3.1. */
    static final LlamaConfig LLM = new LlamaConfig(41, 24, 40, 2, 4, 2, 8, 1e-5, 10000,
            new RopeScaling("llama3", 8, 1, 4, 32), false, 256, 1, List.of(2));
    static final int VISION_WIDTH = 16;
    static final int HEADS = 4;

    private TinyLlavaMiniParts() {}

    static InMemoryTensors prefusion(LlamaConfig c, int layers, String prefix, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        InMemoryTensors t = new InMemoryTensors();
        long d = c.hiddenSize();
        long q = (long) c.numHeads() * c.headDim();
        long kv = (long) c.numKvHeads() * c.headDim();
        for (int i = 0; i < layers; i++) {
            String at = prefix + i + ".";
            t.put(at + "input_layernorm.weight", around1(r, d), d);
            t.put(at + "self_attn.q_proj.weight", uniform(r, q * d, d), q, d);
            t.put(at + "self_attn.k_proj.weight", uniform(r, kv * d, d), kv, d);
            t.put(at + "self_attn.v_proj.weight", uniform(r, kv * d, d), kv, d);
            t.put(at + "self_attn.o_proj.weight", uniform(r, d * q, q), d, q);
            t.put(at + "post_attention_layernorm.weight", around1(r, d), d);
            t.put(at + "mlp.gate_proj.weight", uniform(r, c.intermediateSize() * d, d), c.intermediateSize(), d);
            t.put(at + "mlp.up_proj.weight", uniform(r, c.intermediateSize() * d, d), c.intermediateSize(), d);
            t.put(at + "mlp.down_proj.weight", uniform(r, d * c.intermediateSize(), c.intermediateSize()), d, c.intermediateSize());
        }
        return t;
    }

    /** A compressor of {@code side²} queries; {@code withPosEmbed} stores the sin-cos table as the checkpoint does. */
    static InMemoryTensors compressor(String prefix, int side, int d, boolean withPosEmbed, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        InMemoryTensors t = new InMemoryTensors();
        long q = (long) side * side;
        t.put(prefix + "query", uniform(r, q * d, 1), q, d);
        if (withPosEmbed) {
            t.put(prefix + "pos_embed", SinCos2d.grid(d, side), q, d);
        }
        t.put(prefix + "ln_q.weight", around1(r, d), d);
        t.put(prefix + "ln_q.bias", uniform(r, d, 25), d);
        t.put(prefix + "ln_kv.weight", around1(r, d), d);
        t.put(prefix + "ln_kv.bias", uniform(r, d, 25), d);
        t.put(prefix + "attn.in_proj_weight", uniform(r, 3L * d * d, d), 3L * d, d);
        t.put(prefix + "attn.in_proj_bias", uniform(r, 3L * d, 25), 3L * d);
        t.put(prefix + "attn.out_proj.weight", uniform(r, (long) d * d, d), d, d);
        t.put(prefix + "attn.out_proj.bias", uniform(r, d, 25), d);
        return t;
    }

    static float[][] rows(SplittableRandom r, int n, int d) {
        float[][] x = new float[n][];
        for (int i = 0; i < n; i++) {
            x[i] = uniform(r, d, 1);
        }
        return x;
    }

    static float[] uniform(SplittableRandom r, long n, long fanIn) {
        double bound = Math.sqrt(3.0 / fanIn);
        float[] out = new float[Math.toIntExact(n)];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) r.nextDouble(-bound, bound);
        }
        return out;
    }

    private static float[] around1(SplittableRandom r, long n) {
        float[] out = new float[Math.toIntExact(n)];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (1 + r.nextDouble(-0.2, 0.2));
        }
        return out;
    }
}

package io.streamvl.models.llama;

import io.streamvl.models.weights.TensorSource;

/** A loop-by-loop, double-precision LlamaForCausalLM forward pass over one unpadded sequence. */
final class ReferenceLlama {
    private final LlamaConfig c;
    private final TensorSource w;
    private final double[] invFreq;

    ReferenceLlama(LlamaConfig config, TensorSource weights) {
        this.c = config;
        this.w = weights;
        int half = c.headDim() / 2;
        invFreq = new double[half];
        for (int i = 0; i < half; i++) {
            double inv = 1.0 / Math.pow(c.ropeTheta(), 2.0 * i / c.headDim());
            RopeScaling s = c.ropeScaling();
            if (s != null) {
                double wavelen = 2 * Math.PI / inv;
                double low = s.originalMaxPositionEmbeddings() / s.lowFreqFactor();
                double high = s.originalMaxPositionEmbeddings() / s.highFreqFactor();
                if (wavelen > low) {
                    inv = inv / s.factor();
                } else if (wavelen >= high) {
                    double smooth = (s.originalMaxPositionEmbeddings() / wavelen - s.lowFreqFactor())
                            / (s.highFreqFactor() - s.lowFreqFactor());
                    inv = (1 - smooth) * inv / s.factor() + smooth * inv;
                }
            }
            invFreq[i] = (float) inv;
        }
    }

    float[][] embed(int[] ids) {
        float[] table = w.floats("model.embed_tokens.weight");
        float[][] x = new float[ids.length][c.hiddenSize()];
        for (int t = 0; t < ids.length; t++) {
            System.arraycopy(table, ids[t] * c.hiddenSize(), x[t], 0, c.hiddenSize());
        }
        return x;
    }

    double[][] logits(int[] ids, int firstPosition) {
        return logits(embed(ids), PrefillBatch.range(firstPosition, ids.length));
    }

    /** Logits at every token of the sequence, rotary positions as given. */
    double[][] logits(float[][] input, int[] positions) {
        double[][] out = rmsNorm(hidden(input, positions, c.numLayers()), w.floats("model.norm.weight"));
        return linear(out, c.tieWordEmbeddings() ? "model.embed_tokens.weight" : "lm_head.weight");
    }

    /** The hidden states after the first {@code layers} decoder layers, before the final norm. */
    double[][] hidden(float[][] input, int[] positions, int layers) {
        int n = input.length;
        int d = c.hiddenSize();
        int hd = c.headDim();
        int kvH = c.numKvHeads();
        int groups = c.numHeads() / kvH;
        double[][] x = new double[n][d];
        for (int t = 0; t < n; t++) {
            for (int i = 0; i < d; i++) {
                x[t][i] = input[t][i];
            }
        }
        for (int l = 0; l < layers; l++) {
            double[][] h = rmsNorm(x, w.floats(WeightLayout.layer(l, "input_layernorm.weight")));
            double[][] q = linear(h, WeightLayout.layer(l, "self_attn.q_proj.weight"));
            double[][] k = linear(h, WeightLayout.layer(l, "self_attn.k_proj.weight"));
            double[][] v = linear(h, WeightLayout.layer(l, "self_attn.v_proj.weight"));
            for (int t = 0; t < n; t++) {
                rotate(q[t], c.numHeads(), positions[t]);
                rotate(k[t], kvH, positions[t]);
            }
            double[][] att = new double[n][c.numHeads() * hd];
            for (int head = 0; head < c.numHeads(); head++) {
                int kv = head / groups;
                for (int t = 0; t < n; t++) {
                    double[] s = new double[t + 1];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j <= t; j++) {
                        double dot = 0;
                        for (int e = 0; e < hd; e++) {
                            dot += q[t][head * hd + e] * k[j][kv * hd + e];
                        }
                        s[j] = dot / Math.sqrt(hd);
                        max = Math.max(max, s[j]);
                    }
                    double sum = 0;
                    for (int j = 0; j <= t; j++) {
                        s[j] = Math.exp(s[j] - max);
                        sum += s[j];
                    }
                    for (int j = 0; j <= t; j++) {
                        for (int e = 0; e < hd; e++) {
                            att[t][head * hd + e] += s[j] / sum * v[j][kv * hd + e];
                        }
                    }
                }
            }
            add(x, linear(att, WeightLayout.layer(l, "self_attn.o_proj.weight")));
            double[][] h2 = rmsNorm(x, w.floats(WeightLayout.layer(l, "post_attention_layernorm.weight")));
            double[][] gate = linear(h2, WeightLayout.layer(l, "mlp.gate_proj.weight"));
            double[][] up = linear(h2, WeightLayout.layer(l, "mlp.up_proj.weight"));
            for (int t = 0; t < n; t++) {
                for (int i = 0; i < gate[t].length; i++) {
                    double g = gate[t][i];
                    gate[t][i] = g / (1 + Math.exp(-g)) * up[t][i];
                }
            }
            add(x, linear(gate, WeightLayout.layer(l, "mlp.down_proj.weight")));
        }
        return x;
    }

    private void rotate(double[] vec, int heads, int position) {
        int hd = c.headDim();
        int half = hd / 2;
        for (int head = 0; head < heads; head++) {
            int o = head * hd;
            for (int i = 0; i < half; i++) {
                double angle = position * invFreq[i];
                double a = vec[o + i];
                double b = vec[o + half + i];
                vec[o + i] = a * Math.cos(angle) - b * Math.sin(angle);
                vec[o + half + i] = b * Math.cos(angle) + a * Math.sin(angle);
            }
        }
    }

    private double[][] rmsNorm(double[][] x, float[] weight) {
        double[][] out = new double[x.length][];
        for (int t = 0; t < x.length; t++) {
            double ms = 0;
            for (double v : x[t]) {
                ms += v * v;
            }
            double scale = 1 / Math.sqrt(ms / x[t].length + c.rmsNormEps());
            out[t] = new double[x[t].length];
            for (int i = 0; i < x[t].length; i++) {
                out[t][i] = x[t][i] * scale * weight[i];
            }
        }
        return out;
    }

    private double[][] linear(double[][] x, String name) {
        float[] weight = w.floats(name);
        int in = x[0].length;
        int outDim = weight.length / in;
        double[][] y = new double[x.length][outDim];
        for (int t = 0; t < x.length; t++) {
            for (int o = 0; o < outDim; o++) {
                double s = 0;
                for (int i = 0; i < in; i++) {
                    s += x[t][i] * weight[o * in + i];
                }
                y[t][o] = s;
            }
        }
        return y;
    }

    private static void add(double[][] x, double[][] y) {
        for (int t = 0; t < x.length; t++) {
            for (int i = 0; i < x[t].length; i++) {
                x[t][i] += y[t][i];
            }
        }
    }
}

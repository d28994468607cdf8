package io.streamvl.models.llavamini;

import io.streamvl.models.llama.LlamaConfig;
import io.streamvl.models.llama.RopeScaling;
import io.streamvl.models.weights.TensorSource;

/**
 * HF {@code LlamaDecoderLayer}s, loop by loop in double precision, over one sequence with explicit
 * position ids and a key mask (causal; key j visible to query i when {@code j <= i} and {@code mask[j] == 1}).
 */
final class ReferencePreFusion {
    private final LlamaConfig c;
    private final TensorSource w;
    private final String prefix;
    private final int layers;
    private final double[] invFreq;

    ReferencePreFusion(LlamaConfig config, TensorSource weights, String prefix, int layers) {
        this.c = config;
        this.w = weights;
        this.prefix = prefix;
        this.layers = layers;
        int half = c.headDim() / 2;
        invFreq = new double[half];
        RopeScaling s = c.ropeScaling();
        for (int i = 0; i < half; i++) {
            double inv = 1.0 / Math.pow(c.ropeTheta(), 2.0 * i / c.headDim());
            if (s != null) {
                double wavelen = 2 * Math.PI / inv;
                double low = s.originalMaxPositionEmbeddings() / s.lowFreqFactor();
                double high = s.originalMaxPositionEmbeddings() / s.highFreqFactor();
                if (wavelen > low) {
                    inv /= s.factor();
                } else if (wavelen >= high) {
                    double smooth = (s.originalMaxPositionEmbeddings() / wavelen - s.lowFreqFactor())
                            / (s.highFreqFactor() - s.lowFreqFactor());
                    inv = (1 - smooth) * inv / s.factor() + smooth * inv;
                }
            }
            invFreq[i] = (float) inv;
        }
    }

    double[][] forward(float[][] input, int[] positions, int[] mask) {
        int n = input.length;
        int hd = c.headDim();
        int groups = c.numHeads() / c.numKvHeads();
        double[][] x = new double[n][];
        for (int t = 0; t < n; t++) {
            x[t] = new double[input[t].length];
            for (int i = 0; i < input[t].length; i++) {
                x[t][i] = input[t][i];
            }
        }
        for (int l = 0; l < layers; l++) {
            String at = prefix + l + ".";
            double[][] h = rmsNorm(x, w.floats(at + "input_layernorm.weight"));
            double[][] q = linear(h, w.floats(at + "self_attn.q_proj.weight"));
            double[][] k = linear(h, w.floats(at + "self_attn.k_proj.weight"));
            double[][] v = linear(h, w.floats(at + "self_attn.v_proj.weight"));
            for (int t = 0; t < n; t++) {
                rotate(q[t], positions[t]);
                rotate(k[t], positions[t]);
            }
            double[][] att = new double[n][c.numHeads() * hd];
            for (int head = 0; head < c.numHeads(); head++) {
                int kvHead = head / groups;
                for (int t = 0; t < n; t++) {
                    double[] s = new double[t + 1];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j <= t; j++) {
                        if (mask[j] == 0) {
                            continue;
                        }
                        double dot = 0;
                        for (int e = 0; e < hd; e++) {
                            dot += q[t][head * hd + e] * k[j][kvHead * hd + e];
                        }
                        s[j] = dot / Math.sqrt(hd);
                        max = Math.max(max, s[j]);
                    }
                    double sum = 0;
                    for (int j = 0; j <= t; j++) {
                        s[j] = mask[j] == 0 ? 0 : Math.exp(s[j] - max);
                        sum += s[j];
                    }
                    for (int j = 0; j <= t; j++) {
                        for (int e = 0; e < hd; e++) {
                            att[t][head * hd + e] += s[j] / sum * v[j][kvHead * hd + e];
                        }
                    }
                }
            }
            add(x, linear(att, w.floats(at + "self_attn.o_proj.weight")));
            double[][] h2 = rmsNorm(x, w.floats(at + "post_attention_layernorm.weight"));
            double[][] gate = linear(h2, w.floats(at + "mlp.gate_proj.weight"));
            double[][] up = linear(h2, w.floats(at + "mlp.up_proj.weight"));
            for (int t = 0; t < n; t++) {
                for (int i = 0; i < gate[t].length; i++) {
                    gate[t][i] = gate[t][i] / (1 + Math.exp(-gate[t][i])) * up[t][i];
                }
            }
            add(x, linear(gate, w.floats(at + "mlp.down_proj.weight")));
        }
        return x;
    }

    private void rotate(double[] vec, int position) {
        int hd = c.headDim();
        int half = hd / 2;
        for (int o = 0; o < vec.length; o += hd) {
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

    static double[][] linear(double[][] x, float[] weight) {
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

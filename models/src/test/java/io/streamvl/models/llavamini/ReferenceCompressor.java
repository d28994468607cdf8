package io.streamvl.models.llavamini;

import io.streamvl.models.weights.TensorSource;

/** The LLaVA-Mini resampler for one frame, loop by loop in double precision, key positions given. */
final class ReferenceCompressor {
    private final TensorSource w;
    private final String p;
    private final int heads;

    ReferenceCompressor(TensorSource weights, String prefix, int heads) {
        this.w = weights;
        this.p = prefix;
        this.heads = heads;
    }

    /** {@code features [M][D]}, {@code keyPos [M][D]}, {@code queryPos [Q][D]} → {@code [Q][D]}. */
    double[][] compress(float[][] features, double[][] keyPos, double[][] queryPos) {
        int d = features[0].length;
        double[][] xn = layerNorm(toDouble(features), w.floats(p + "ln_kv.weight"), w.floats(p + "ln_kv.bias"));
        float[] query = w.floats(p + "query");
        double[][] qRaw = new double[query.length / d][d];
        for (int i = 0; i < qRaw.length; i++) {
            for (int e = 0; e < d; e++) {
                qRaw[i][e] = query[i * d + e];
            }
        }
        double[][] qIn = layerNorm(qRaw, w.floats(p + "ln_q.weight"), w.floats(p + "ln_q.bias"));
        double[][] kIn = new double[xn.length][d];
        for (int i = 0; i < qIn.length; i++) {
            for (int e = 0; e < d; e++) {
                qIn[i][e] += queryPos[i][e];
            }
        }
        for (int m = 0; m < xn.length; m++) {
            for (int e = 0; e < d; e++) {
                kIn[m][e] = xn[m][e] + keyPos[m][e];
            }
        }
        float[] inW = w.floats(p + "attn.in_proj_weight");
        float[] inB = w.floats(p + "attn.in_proj_bias");
        double[][] q = affine(qIn, inW, inB, 0, d);
        double[][] k = affine(kIn, inW, inB, d, d);
        double[][] v = affine(xn, inW, inB, 2 * d, d);
        int hd = d / heads;
        double[][] ctx = new double[q.length][d];
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < q.length; i++) {
                double[] s = new double[k.length];
                double max = Double.NEGATIVE_INFINITY;
                for (int m = 0; m < k.length; m++) {
                    for (int e = 0; e < hd; e++) {
                        s[m] += q[i][h * hd + e] * k[m][h * hd + e];
                    }
                    s[m] /= Math.sqrt(hd);
                    max = Math.max(max, s[m]);
                }
                double sum = 0;
                for (int m = 0; m < k.length; m++) {
                    s[m] = Math.exp(s[m] - max);
                    sum += s[m];
                }
                for (int m = 0; m < k.length; m++) {
                    for (int e = 0; e < hd; e++) {
                        ctx[i][h * hd + e] += s[m] / sum * v[m][h * hd + e];
                    }
                }
            }
        }
        return affine(ctx, w.floats(p + "attn.out_proj.weight"), w.floats(p + "attn.out_proj.bias"), 0, d);
    }

    /** Rows {@code [from, from + out)} of a packed {@code [*, D]} weight and its bias. */
    private static double[][] affine(double[][] x, float[] weight, float[] bias, int from, int out) {
        int in = x[0].length;
        double[][] y = new double[x.length][out];
        for (int t = 0; t < x.length; t++) {
            for (int o = 0; o < out; o++) {
                double s = bias[from + o];
                for (int i = 0; i < in; i++) {
                    s += x[t][i] * weight[(from + o) * in + i];
                }
                y[t][o] = s;
            }
        }
        return y;
    }

    private static double[][] layerNorm(double[][] x, float[] weight, float[] bias) {
        double[][] out = new double[x.length][];
        for (int t = 0; t < x.length; t++) {
            double mean = 0;
            for (double v : x[t]) {
                mean += v;
            }
            mean /= x[t].length;
            double var = 0;
            for (double v : x[t]) {
                var += (v - mean) * (v - mean);
            }
            var /= x[t].length;
            out[t] = new double[x[t].length];
            for (int i = 0; i < x[t].length; i++) {
                out[t][i] = (x[t][i] - mean) / Math.sqrt(var + 1e-5) * weight[i] + bias[i];
            }
        }
        return out;
    }

    static double[][] toDouble(float[][] x) {
        double[][] out = new double[x.length][];
        for (int t = 0; t < x.length; t++) {
            out[t] = new double[x[t].length];
            for (int i = 0; i < x[t].length; i++) {
                out[t][i] = x[t][i];
            }
        }
        return out;
    }
}

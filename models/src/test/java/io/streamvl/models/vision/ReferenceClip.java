package io.streamvl.models.vision;

import io.streamvl.models.weights.TensorSource;

/**
 * HF {@code CLIPVisionTransformer} and the mlp2x_gelu projector in plain Java: loops over PyTorch's
 * layouts (OIHW kernel, {@code [out, in]} linears), double accumulation, one image at a time. Slow and
 * obviously correct; the TF graphs are checked against it.
 */
final class ReferenceClip {
    private final ClipVisionConfig c;
    private final TensorSource w;

    /** @param weights unprefixed HF names */
    ReferenceClip(ClipVisionConfig config, TensorSource weights) {
        this.c = config;
        this.w = weights;
    }

    /** {@code hidden_states[selectLayer]} without the class token, {@code [patches * hidden]}, for one NHWC image. */
    float[] features(float[] images, int frame, int selectLayer) {
        int layers = c.layersFor(selectLayer);
        double[][] x = embeddings(images, frame);
        x = layerNorm(x, "pre_layrnorm.");
        for (int i = 0; i < layers; i++) {
            x = layer(x, "encoder.layers." + i + ".");
        }
        int d = c.hiddenSize();
        float[] out = new float[c.numPatches() * d];
        for (int t = 1; t < x.length; t++) {
            for (int j = 0; j < d; j++) {
                out[(t - 1) * d + j] = (float) x[t][j];
            }
        }
        return out;
    }

    private double[][] embeddings(float[] images, int frame) {
        int s = c.imageSize();
        int p = c.patchSize();
        int g = c.patchesPerSide();
        int d = c.hiddenSize();
        float[] kernel = w.floats("embeddings.patch_embedding.weight");
        float[] cls = w.floats("embeddings.class_embedding");
        float[] pos = w.floats("embeddings.position_embedding.weight");
        int base = frame * c.imageFloats();
        double[][] x = new double[c.numPositions()][d];
        for (int j = 0; j < d; j++) {
            x[0][j] = cls[j] + pos[j];
        }
        for (int gy = 0; gy < g; gy++) {
            for (int gx = 0; gx < g; gx++) {
                int t = 1 + gy * g + gx;
                for (int o = 0; o < d; o++) {
                    double sum = 0;
                    for (int ch = 0; ch < 3; ch++) {
                        for (int ky = 0; ky < p; ky++) {
                            for (int kx = 0; kx < p; kx++) {
                                int pixel = base + ((gy * p + ky) * s + gx * p + kx) * 3 + ch;
                                sum += kernel[((o * 3 + ch) * p + ky) * p + kx] * (double) images[pixel];
                            }
                        }
                    }
                    x[t][o] = sum + pos[t * d + o];
                }
            }
        }
        return x;
    }

    private double[][] layer(double[][] x, String prefix) {
        int d = c.hiddenSize();
        int heads = c.numHeads();
        int hd = c.headDim();
        int t = x.length;
        double[][] h = layerNorm(x, prefix + "layer_norm1.");
        double[][] q = linear(h, prefix + "self_attn.q_proj.");
        double[][] k = linear(h, prefix + "self_attn.k_proj.");
        double[][] v = linear(h, prefix + "self_attn.v_proj.");
        double scale = 1 / Math.sqrt(hd);
        double[][] att = new double[t][d];
        for (int head = 0; head < heads; head++) {
            for (int i = 0; i < t; i++) {
                double[] scores = new double[t];
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < t; j++) {
                    double dot = 0;
                    for (int e = 0; e < hd; e++) {
                        dot += q[i][head * hd + e] * k[j][head * hd + e];
                    }
                    scores[j] = dot * scale;
                    max = Math.max(max, scores[j]);
                }
                double total = 0;
                for (int j = 0; j < t; j++) {
                    scores[j] = Math.exp(scores[j] - max);
                    total += scores[j];
                }
                for (int j = 0; j < t; j++) {
                    for (int e = 0; e < hd; e++) {
                        att[i][head * hd + e] += scores[j] / total * v[j][head * hd + e];
                    }
                }
            }
        }
        double[][] out = add(x, linear(att, prefix + "self_attn.out_proj."));
        double[][] mid = linear(layerNorm(out, prefix + "layer_norm2."), prefix + "mlp.fc1.");
        for (double[] row : mid) {
            for (int j = 0; j < row.length; j++) {
                row[j] = activation(row[j]);
            }
        }
        return add(out, linear(mid, prefix + "mlp.fc2."));
    }

    private double activation(double x) {
        return c.hiddenAct().equals(ClipVisionConfig.QUICK_GELU) ? x / (1 + Math.exp(-1.702 * x)) : gelu(x);
    }

    private double[][] layerNorm(double[][] x, String prefix) {
        float[] weight = w.floats(prefix + "weight");
        float[] bias = w.floats(prefix + "bias");
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
            for (int j = 0; j < x[t].length; j++) {
                out[t][j] = (x[t][j] - mean) / Math.sqrt(var + c.layerNormEps()) * weight[j] + bias[j];
            }
        }
        return out;
    }

    private double[][] linear(double[][] x, String prefix) {
        return linear(x, w.floats(prefix + "weight"), w.floats(prefix + "bias"));
    }

    static double[][] linear(double[][] x, float[] weight, float[] bias) {
        int out = bias.length;
        int in = weight.length / out;
        double[][] y = new double[x.length][out];
        for (int t = 0; t < x.length; t++) {
            for (int o = 0; o < out; o++) {
                double sum = bias[o];
                for (int i = 0; i < in; i++) {
                    sum += weight[o * in + i] * x[t][i];
                }
                y[t][o] = sum;
            }
        }
        return y;
    }

    /** mlp2x_gelu on {@code rows} rows of {@code in} floats, with unprefixed {@code linear_1/linear_2} names. */
    static float[] project(TensorSource projector, float[] features, int rows) {
        float[] b1 = projector.floats("linear_1.bias");
        int in = features.length / rows;
        double[][] x = new double[rows][in];
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < in; i++) {
                x[r][i] = features[r * in + i];
            }
        }
        double[][] h = linear(x, projector.floats("linear_1.weight"), b1);
        for (double[] row : h) {
            for (int j = 0; j < row.length; j++) {
                row[j] = gelu(row[j]);
            }
        }
        double[][] y = linear(h, projector.floats("linear_2.weight"), projector.floats("linear_2.bias"));
        float[] out = new float[rows * b1.length];
        for (int r = 0; r < rows; r++) {
            for (int o = 0; o < b1.length; o++) {
                out[r * b1.length + o] = (float) y[r][o];
            }
        }
        return out;
    }

    /** Exact GELU, x·Φ(x); Java has no erf, so it is computed here to about 1e-13. */
    static double gelu(double x) {
        return 0.5 * x * (1 + erf(x / Math.sqrt(2)));
    }

    private static double erf(double z) {
        double a = Math.abs(z);
        double sum;
        if (a < 3) {
            // Maclaurin series: converges fast for |z| < 3 in double precision.
            double term = a;
            sum = a;
            for (int n = 1; n < 100; n++) {
                term *= -a * a / n;
                double next = term / (2 * n + 1);
                sum += next;
                if (Math.abs(next) < 1e-17) {
                    break;
                }
            }
            sum *= 2 / Math.sqrt(Math.PI);
        } else {
            // Asymptotic continued fraction for the complement.
            double f = 0;
            for (int n = 60; n >= 1; n--) {
                f = n / 2.0 / (a + f);
            }
            sum = 1 - Math.exp(-a * a) / Math.sqrt(Math.PI) / (a + f);
        }
        return Math.copySign(sum, z);
    }

    private static double[][] add(double[][] a, double[][] b) {
        double[][] out = new double[a.length][a[0].length];
        for (int t = 0; t < a.length; t++) {
            for (int j = 0; j < a[t].length; j++) {
                out[t][j] = a[t][j] + b[t][j];
            }
        }
        return out;
    }
}

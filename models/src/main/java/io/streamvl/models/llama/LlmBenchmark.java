package io.streamvl.models.llama;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Decoder throughput on random weights: prefill, decode at short and long context, batch 1 vs 8,
 * against plain TF matmuls of the model's sizes measured in the same run.
 */
public final class LlmBenchmark {
    private static final int SHORT_CONTEXT = 128;
    private static final int LONG_CONTEXT = 2048;
    private static final int BIG_BATCH = 8;

    private LlmBenchmark() {}

    /**
     * @param config "tiny" or "small"
     * @param options device and threads; batch and cache sizes are set by the benchmark
     */
    public static LlmBenchmarkResult run(String config, DecoderOptions options) {
        LlamaConfig c = config(config);
        int steps = "tiny".equals(config) ? 64 : 32;
        DecoderOptions opts = options.withMaxBatch(BIG_BATCH).withMaxCacheLength(LONG_CONTEXT + 2 * steps);
        try (LlamaModel model = LlamaModel.load(c, new RandomLlamaWeights(c, 1), opts)) {
            decodeRun(model, 1, SHORT_CONTEXT, 4);
            long p0 = System.nanoTime();
            prefill(model, 1, SHORT_CONTEXT);
            double prefillTokensPerS = SHORT_CONTEXT / seconds(System.nanoTime() - p0);
            DecodeTiming shortCtx = decodeRun(model, 1, SHORT_CONTEXT, steps);
            DecodeTiming longCtx = decodeRun(model, 1, LONG_CONTEXT, steps);
            DecodeTiming batched = decodeRun(model, BIG_BATCH, SHORT_CONTEXT, steps);
            long params = matmulParams(c);
            double tokensPerS1 = 1000 / shortCtx.msPerStep();
            return new LlmBenchmarkResult(config, c, params, options.device(), options.intraOpThreads(),
                    shortCtx.msPerStep(), longCtx.msPerStep(), tokensPerS1, BIG_BATCH * 1000 / batched.msPerStep(),
                    prefillTokensPerS, matmulGflops(SHORT_CONTEXT, c.hiddenSize(), 2 * c.intermediateSize(), options),
                    matmulGflops(1, c.hiddenSize(), (int) (params / c.hiddenSize()), options),
                    2.0 * params * tokensPerS1 / 1e9, shortCtx.overheadFraction());
        }
    }

    public static LlamaConfig config(String name) {
        return switch (name) {
            case "tiny" -> new LlamaConfig(512, 64, 160, 2, 4, 2, 16, 1e-5, 10000, null, false, 4096, 1, List.of(2));
            case "small" -> new LlamaConfig(8000, 512, 1536, 8, 8, 4, 64, 1e-5, 500000, null, false, 4096, 1, List.of(2));
            default -> throw new IllegalArgumentException("unknown benchmark config " + name + " (tiny, small)");
        };
    }

    /** Weights that a decode step multiplies (embedding lookup excluded, output head included). */
    static long matmulParams(LlamaConfig c) {
        long d = c.hiddenSize();
        long attn = d * (c.numHeads() + 2L * c.numKvHeads()) * c.headDim() + (long) c.numHeads() * c.headDim() * d;
        long mlp = 3 * d * c.intermediateSize();
        return c.numLayers() * (attn + mlp) + c.vocabSize() * d;
    }

    private record DecodeTiming(double msPerStep, double overheadFraction) {}

    /** Greedy decoding as the generator does it: decode, read logits, argmax, feed back. */
    private static DecodeTiming decodeRun(LlamaModel model, int batch, int context, int steps) {
        float[][] logits = prefill(model, batch, context);
        int[] next = new int[batch];
        int[] slots = new int[batch];
        // The first steps after a prefill pay allocator and JIT warm-up; they are not timed.
        int warmUp = steps / 4;
        long run0 = 0;
        long t0 = 0;
        for (int s = 0; s < warmUp + steps; s++) {
            if (s == warmUp) {
                run0 = model.runNanos();
                t0 = System.nanoTime();
            }
            for (int b = 0; b < batch; b++) {
                next[b] = Sampler.argmax(logits[b]);
                slots[b] = context + s;
            }
            logits = model.decode(next, slots, slots);
        }
        long total = System.nanoTime() - t0;
        long inRun = model.runNanos() - run0;
        return new DecodeTiming(total / 1e6 / steps, 1.0 - (double) inRun / total);
    }

    private static float[][] prefill(LlamaModel model, int batch, int length) {
        int[][] ids = new int[batch][length];
        int[][] pos = new int[batch][];
        int[][] mask = new int[batch][];
        for (int b = 0; b < batch; b++) {
            for (int j = 0; j < length; j++) {
                ids[b][j] = (b * 31 + j * 7) % model.config().vocabSize();
            }
            pos[b] = PrefillBatch.range(0, length);
            mask[b] = PrefillBatch.ones(length);
        }
        return model.prefill(ids, pos, mask);
    }

    /** A plain {@code [m,k] x [k,n]} TF MatMul with the right operand in a variable, as the model holds weights. */
    public static double matmulGflops(int m, int k, int n, DecoderOptions options) {
        try (Graph g = new Graph(); Session s = new Session(g, options.sessionConfig())) {
            Ops root = Ops.create(g);
            Ops tf = options.place(root);
            Variable<TFloat32> w = tf.variable(Shape.of(k, n), TFloat32.class);
            Placeholder<TFloat32> init = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(k, n)));
            Op assign = tf.assign(w, init);
            float[] x = new float[m * k];
            Arrays.fill(x, 0.01f);
            Operand<TFloat32> y = tf.sum(tf.linalg.matMul(tf.constant(Shape.of(m, k),
                    DataBuffers.of(x, true, false)), w), tf.constant(new int[] {0, 1}));
            float[] wv = new float[k * n];
            Arrays.fill(wv, 0.5f);
            try (TFloat32 t = TFloat32.tensorOf(Shape.of(k, n), DataBuffers.of(wv, true, false))) {
                s.runner().feed(init, t).addTarget(assign).run().close();
            }
            int reps = 3;
            double flops = 2.0 * m * k * n;
            while (true) {
                long t0 = System.nanoTime();
                for (int i = 0; i < reps; i++) {
                    s.runner().fetch(y).run().close();
                }
                long elapsed = System.nanoTime() - t0;
                if (elapsed > 300_000_000L || reps > 100_000) {
                    return flops * reps / elapsed;
                }
                reps *= 4;
            }
        }
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    static String json(String key, double value) {
        return String.format(Locale.ROOT, "\"%s\": %.4f", key, value);
    }
}

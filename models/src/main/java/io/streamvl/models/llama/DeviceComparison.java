package io.streamvl.models.llama;

import java.util.Arrays;
import java.util.Locale;
import org.tensorflow.DeviceSpec;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;

/**
 * The same decoder, same random weights, on the CPU and on the GPU: how far their logits drift
 * apart, whether greedy decoding picks the same tokens, and each device's decode speed. What
 * {@code scripts/gpu-check.sh} runs on a machine with a GPU.
 */
public final class DeviceComparison {
    private static final int PROMPT = 64;
    private static final int STEPS = 32;

    public record Result(String config, double maxAbsLogitDiff, int tokensCompared, int tokensDiffering,
            double cpuMsPerToken, double gpuMsPerToken) {
        public String toJson() {
            return String.format(Locale.ROOT, "{\"config\": \"%s\", \"max_abs_logit_diff\": %.6g, "
                    + "\"tokens_compared\": %d, \"tokens_differing\": %d, \"cpu_ms_per_token\": %.4f, "
                    + "\"gpu_ms_per_token\": %.4f}", config, maxAbsLogitDiff, tokensCompared, tokensDiffering,
                    cpuMsPerToken, gpuMsPerToken);
        }
    }

    private record Run(float[] promptLogits, int[] tokens, double msPerToken) {}

    private DeviceComparison() {}

    /** @param base threads and other options; the device is set by the comparison */
    public static Result run(String config, DecoderOptions base) {
        requireGpu();
        LlamaConfig c = LlmBenchmark.config(config);
        DecoderOptions opts = base.withMaxBatch(1).withMaxCacheLength(PROMPT + STEPS + 1);
        Run cpu = greedy(c, opts.withDevice("cpu"));
        Run gpu = greedy(c, opts.withDevice("gpu"));
        double maxDiff = 0;
        for (int i = 0; i < cpu.promptLogits.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(cpu.promptLogits[i] - gpu.promptLogits[i]));
        }
        int differing = 0;
        for (int i = 0; i < STEPS; i++) {
            differing += cpu.tokens[i] == gpu.tokens[i] ? 0 : 1;
        }
        return new Result(config, maxDiff, STEPS, differing, cpu.msPerToken, gpu.msPerToken);
    }

    /**
     * The decoder places ops softly, so on a machine without a usable GPU it would quietly run both
     * sides on the CPU and "agree"; a strictly placed op tells the two apart.
     */
    static void requireGpu() {
        try (Graph g = new Graph();
                Session s = new Session(g,
                        ConfigProto.newBuilder().setAllowSoftPlacement(false).build())) {
            Ops tf = Ops.create(g).withDevice(
                    DeviceSpec.newBuilder().deviceType(DeviceSpec.DeviceType.GPU)
                            .deviceIndex(0).build());
            var product = tf.linalg.matMul(tf.constant(new float[][] {{1f}}), tf.constant(new float[][] {{2f}}));
            s.runner().fetch(product).run().close();
        } catch (RuntimeException e) {
            throw new IllegalStateException("no GPU visible to TensorFlow (build with -Pgpu, CUDA 12 + cuDNN 9 on "
                    + "LD_LIBRARY_PATH): " + e.getMessage(), e);
        }
    }

    private static Run greedy(LlamaConfig c, DecoderOptions opts) {
        int[] prompt = new int[PROMPT];
        for (int i = 0; i < PROMPT; i++) {
            prompt[i] = (i * 7919 + 13) % c.vocabSize();
        }
        try (LlamaModel model = LlamaModel.load(c, new RandomLlamaWeights(c, 5), opts)) {
            float[] logits = model.lastLogits(prompt);
            long t0 = System.nanoTime();
            GenerationResult r = new Generator(model).generate(Prompt.ofIds(prompt), GenerationConfig.greedy(STEPS));
            double ms = (System.nanoTime() - t0) / 1e6 / Math.max(1, r.tokenIds().length);
            int[] tokens = Arrays.copyOf(r.tokenIds(), STEPS);
            return new Run(logits, tokens, ms);
        }
    }
}

package io.streamvl.models.llama;

import java.util.Locale;

/**
 * Measurements of {@link LlmBenchmark}. Rates are wall clock; {@code stepOverheadFraction} is the share
 * of a batch-1 decode step spent outside {@code Session.run} (tensor creation, logits copy, argmax).
 */
public record LlmBenchmarkResult(String configName, LlamaConfig config, long matmulParams, String device, int threads,
        double decodeMsPerTokenCtx128, double decodeMsPerTokenCtx2048, double decodeTokensPerSBatch1,
        double decodeTokensPerSBatch8, double prefillTokensPerS, double matmulGflops, double gemvGflops,
        double modelGflopsDecode, double stepOverheadFraction) {

    public String toJson() {
        return "{" + String.join(", ",
                "\"config\": \"" + configName + "\"",
                "\"device\": \"" + device + "\"",
                "\"threads\": " + threads,
                "\"matmul_params\": " + matmulParams,
                "\"hidden\": " + config.hiddenSize(),
                "\"layers\": " + config.numLayers(),
                LlmBenchmark.json("decode_ms_per_token_ctx128", decodeMsPerTokenCtx128),
                LlmBenchmark.json("decode_ms_per_token_ctx2048", decodeMsPerTokenCtx2048),
                LlmBenchmark.json("decode_tokens_per_s_batch1", decodeTokensPerSBatch1),
                LlmBenchmark.json("decode_tokens_per_s_batch8", decodeTokensPerSBatch8),
                LlmBenchmark.json("prefill_tokens_per_s", prefillTokensPerS),
                LlmBenchmark.json("matmul_gflops", matmulGflops),
                LlmBenchmark.json("gemv_gflops", gemvGflops),
                LlmBenchmark.json("model_gflops_decode", modelGflopsDecode),
                LlmBenchmark.json("step_overhead_fraction", stepOverheadFraction)) + "}";
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s on %s: %s", configName, device, toJson());
    }
}

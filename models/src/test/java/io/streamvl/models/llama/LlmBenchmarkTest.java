package io.streamvl.models.llama;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LlmBenchmarkTest {
    @Test
    void tinyBenchmarkReportsEveryMetric() {
        LlmBenchmarkResult r = LlmBenchmark.run("tiny", DecoderOptions.defaults());
        assertThat(r.toJson()).contains("\"decode_ms_per_token_ctx128\"", "\"decode_ms_per_token_ctx2048\"",
                "\"decode_tokens_per_s_batch1\"", "\"decode_tokens_per_s_batch8\"", "\"prefill_tokens_per_s\"",
                "\"matmul_gflops\"", "\"model_gflops_decode\"", "\"step_overhead_fraction\"");
        assertThat(r.decodeMsPerTokenCtx128()).isPositive();
        assertThat(r.stepOverheadFraction()).isBetween(0.0, 1.0);
    }
}

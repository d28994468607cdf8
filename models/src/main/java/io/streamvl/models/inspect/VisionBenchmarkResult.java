package io.streamvl.models.inspect;

import io.streamvl.models.vision.ClipVisionConfig;
import java.util.Locale;

/**
 * Measurements of {@link VisionBenchmark}. Rates are wall clock, images already in memory as floats.
 * {@code matmulGflops} is a plain {@code [16 * positions, hidden] x [hidden, intermediate]} TF MatMul
 * (the MLP's first layer at batch 16) on the same device: the tower's achievable ceiling.
 * {@code llavaMiniMsPerFrame} is tower + compressor + projector + pre-fusion Z' per frame at batch 16;
 * the token counts are the defaults' visual tokens per frame: C² for LLaVA-Mini, 3456 / 50 for TS-LLaVA.
 */
public record VisionBenchmarkResult(String configName, ClipVisionConfig config, String device, int threads,
        double framesPerSBatch1, double framesPerSBatch16, double matmulGflops, double visionGflopsPerFrame,
        double clipL14x336GflopsPerFrame, double clipL14x336ActivationMbPerFrame, double llavaMiniMsPerFrame,
        int tokensPerFrameLlavaMini, double tokensPerFrameTsLlava) {

    /** Model FLOPs per second the tower reached at batch 16. */
    public double achievedGflopsBatch16() {
        return framesPerSBatch16 * visionGflopsPerFrame;
    }

    public String toJson() {
        return "{" + String.join(", ",
                "\"config\": \"" + configName + "\"",
                "\"device\": \"" + device + "\"",
                "\"threads\": " + threads,
                "\"image_size\": " + config.imageSize(),
                "\"patch_size\": " + config.patchSize(),
                "\"hidden\": " + config.hiddenSize(),
                "\"layers\": " + config.numLayers(),
                "\"heads\": " + config.numHeads(),
                json("frames_per_s_batch1", framesPerSBatch1),
                json("frames_per_s_batch16", framesPerSBatch16),
                json("matmul_gflops", matmulGflops),
                json("vision_gflops_per_frame", visionGflopsPerFrame),
                json("achieved_gflops_batch16", achievedGflopsBatch16()),
                json("clip_l14_336_gflops_per_frame", clipL14x336GflopsPerFrame),
                json("clip_l14_336_activation_mb_per_frame", clipL14x336ActivationMbPerFrame),
                json("llava_mini_ms_per_frame", llavaMiniMsPerFrame),
                "\"tokens_per_frame_llava_mini\": " + tokensPerFrameLlavaMini,
                json("tokens_per_frame_ts_llava", tokensPerFrameTsLlava)) + "}";
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s on %s: %s", configName, device, toJson());
    }

    private static String json(String key, double value) {
        return String.format(Locale.ROOT, "\"%s\": %.4f", key, value);
    }
}

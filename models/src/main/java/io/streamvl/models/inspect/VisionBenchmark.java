package io.streamvl.models.inspect;

import io.streamvl.models.Stopwatch;
import io.streamvl.models.llama.LlamaConfig;
import io.streamvl.models.llama.LlmBenchmark;
import io.streamvl.models.llavamini.LlavaMiniBenchmark;
import io.streamvl.models.llavamini.LlavaMiniSettings;
import io.streamvl.models.llavamini.PreFusion;
import io.streamvl.models.tsllava.TsLlavaConfig;
import io.streamvl.models.vision.ClipVisionConfig;
import io.streamvl.models.vision.ClipVisionConfigs;
import io.streamvl.models.vision.ClipVisionTower;
import io.streamvl.models.vision.RandomClipWeights;
import io.streamvl.models.vision.VisionOptions;
import java.util.Arrays;
import java.util.List;

/**
 * Vision tower throughput on random weights at batch 1 and 16, against the plain TF matmul baseline of
 * the LLM benchmark measured in the same run, with analytic FLOPs per frame for the measured tower and
 * for the real ViT-L/14-336 as LLaVA runs it (23 of 24 layers); plus LLaVA-Mini's per-frame ingest time
 * over the same tower ({@link LlavaMiniBenchmark}) and the visual tokens per frame each method hands the LLM.
 */
public final class VisionBenchmark {
    static final int BIG_BATCH = 16;

    private VisionBenchmark() {}

    /**
     * @param config "tiny" or "small"
     * @param options device and threads; the batch size is set by the benchmark
     */
    public static VisionBenchmarkResult run(String config, VisionOptions options) {
        ClipVisionConfig c = config(config);
        VisionOptions opts = options.withMaxBatch(BIG_BATCH);
        try (ClipVisionTower tower = ClipVisionTower.load(c, -1, new RandomClipWeights(c, c.numLayers(), 1), opts)) {
            double batch1 = framesPerSecond(tower, 1);
            double batch16 = framesPerSecond(tower, BIG_BATCH);
            double matmul = LlmBenchmark.matmulGflops(BIG_BATCH * c.numPositions(), c.hiddenSize(),
                    c.intermediateSize(), options.asDecoderOptions());
            double llavaMini = LlavaMiniBenchmark.msPerFrame(tower, llm(config), options, BIG_BATCH);
            ClipVisionConfig real = ClipVisionConfig.vitL14x336();
            TsLlavaConfig ts = TsLlavaConfig.DEFAULT;
            return new VisionBenchmarkResult(config, c, options.device(), options.intraOpThreads(), batch1, batch16,
                    matmul, c.flopsPerFrame(c.numLayers()) / 1e9,
                    real.flopsPerFrame(real.layersFor(ClipVisionConfigs.DEFAULT_SELECT_LAYER)) / 1e9,
                    real.activationBytesPerFrame() / 1e6, llavaMini, LlavaMiniSettings.DEFAULT.tokensPerFrame(),
                    (double) ts.visualTokens() / ts.frames());
        }
    }

    public static ClipVisionConfig config(String name) {
        return switch (name) {
            case "tiny" -> new ClipVisionConfig(64, 256, 2, 4, 32, 8, 1e-5, ClipVisionConfig.QUICK_GELU);
            case "small" -> new ClipVisionConfig(384, 1536, 6, 6, 224, 16, 1e-5, ClipVisionConfig.QUICK_GELU);
            default -> throw new IllegalArgumentException("unknown benchmark config " + name + " (tiny, small)");
        };
    }

    /** The LLM width and pre-fusion layer shape paired with each tower for the LLaVA-Mini ingest timing. */
    static LlamaConfig llm(String name) {
        return switch (name) {
            case "tiny" -> new LlamaConfig(256, 64, 128, PreFusion.DEFAULT_LAYERS, 4, 2, 16, 1e-5, 10000, null, false,
                    2048, 1, List.of(2));
            case "small" -> new LlamaConfig(256, 512, 1408, PreFusion.DEFAULT_LAYERS, 8, 8, 64, 1e-5, 10000, null, false,
                    2048, 1, List.of(2));
            default -> throw new IllegalArgumentException("unknown benchmark config " + name + " (tiny, small)");
        };
    }

    private static double framesPerSecond(ClipVisionTower tower, int batch) {
        float[] images = new float[batch * tower.config().imageFloats()];
        Arrays.fill(images, 0.25f);
        return batch / Stopwatch.secondsPerCall(() -> tower.features(images, batch));
    }
}

package io.streamvl.models.llavamini;

import io.streamvl.models.Stopwatch;
import io.streamvl.models.llama.DecoderOptions;
import io.streamvl.models.llama.LlamaConfig;
import io.streamvl.models.vision.ClipVisionTower;
import io.streamvl.models.vision.Projector;
import io.streamvl.models.vision.ProjectorWeights;
import io.streamvl.models.vision.VisionOptions;
import java.util.Arrays;

/**
 * LLaVA-Mini's per-frame ingest cost on random weights: a given tower, then the C = 1 compressor with
 * 8 heads, the projector to the LLM width and {@value PreFusion#DEFAULT_LAYERS} pre-fusion layers for Z',
 * i.e. everything a stream computes once per frame before any prompt.
 */
public final class LlavaMiniBenchmark {
    private static final int HEADS = 8;
    private static final long SEED = 1;

    private LlavaMiniBenchmark() {}

    /**
     * @param llm the LLM shape the pre-fusion layers and projector take (vocabulary unused)
     * @param batch frames per encode call, also the compressor's and pre-fusion's frames per run
     * @return wall-clock milliseconds per frame, images already in memory as floats
     */
    public static double msPerFrame(ClipVisionTower tower, LlamaConfig llm, VisionOptions options, int batch) {
        int dv = tower.config().hiddenSize();
        VisionOptions opts = options.withMaxBatch(batch);
        DecoderOptions fusionOptions = opts.asDecoderOptions().withMaxBatch(batch);
        try (Compressor compressor = Compressor.load(RandomLlavaMiniWeights.compressor("", 1, dv, SEED), "", HEADS, opts);
                Projector projector = Projector.load(
                        RandomLlavaMiniWeights.fill(ProjectorWeights.expected(dv, llm.hiddenSize()), SEED), opts);
                PreFusion preFusion = PreFusion.load(llm, PreFusion.DEFAULT_LAYERS, PreFusion.DEFAULT_PREFIX,
                        RandomLlavaMiniWeights.preFusion(llm, PreFusion.DEFAULT_LAYERS, PreFusion.DEFAULT_PREFIX, SEED),
                        fusionOptions)) {
            FrameEncoder encoder = new FrameEncoder(tower, projector, compressor, preFusion, 1);
            float[] images = new float[batch * tower.config().imageFloats()];
            Arrays.fill(images, 0.25f);
            return Stopwatch.secondsPerCall(() -> encoder.encode(images, batch)) * 1e3 / batch;
        }
    }
}

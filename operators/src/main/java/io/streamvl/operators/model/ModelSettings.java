package io.streamvl.operators.model;

import io.streamvl.models.llama.DecoderOptions;
import io.streamvl.models.vision.VisionOptions;
import java.io.Serializable;
import java.util.Objects;

/**
 * Which {@code llava-mini} bundle the model operators open and how it runs, as the job configuration
 * ({@code streamvl.model.*}) resolves it. A value: equal settings share one loaded model in a JVM
 * ({@link SharedModels}).
 *
 * @param bundleDir the bundle's directory on the task manager
 * @param device "cpu" or "gpu" (first GPU)
 * @param intraOpThreads TensorFlow intra-op threads, 0 = one per core
 * @param interOpThreads TensorFlow inter-op threads, 0 = TF's choice
 * @param maxBatch sequences the language model decodes together at most (its KV cache rows)
 * @param maxContext tokens per sequence the KV cache holds (prompt plus generated)
 * @param gpuMemoryGrowth allocate GPU memory as needed instead of claiming it all at start
 */
public record ModelSettings(String bundleDir, String device, int intraOpThreads, int interOpThreads, int maxBatch,
        int maxContext, boolean gpuMemoryGrowth) implements Serializable {

    public ModelSettings {
        Objects.requireNonNull(bundleDir, "bundleDir");
        // the options' own checks, so a bad value fails where the job is built, not in a task manager
        new DecoderOptions(device, intraOpThreads, interOpThreads, maxBatch, maxContext, gpuMemoryGrowth);
    }

    /** The bundle in {@code bundleDir} with the runtime's defaults ({@link DecoderOptions#defaults()}). */
    public static ModelSettings of(String bundleDir) {
        DecoderOptions d = DecoderOptions.defaults();
        return new ModelSettings(bundleDir, d.device(), d.intraOpThreads(), d.interOpThreads(), d.maxBatch(),
                d.maxCacheLength(), d.gpuMemoryGrowth());
    }

    public ModelSettings withThreads(int intra, int inter) {
        return new ModelSettings(bundleDir, device, intra, inter, maxBatch, maxContext, gpuMemoryGrowth);
    }

    public ModelSettings withMaxBatch(int n) {
        return new ModelSettings(bundleDir, device, intraOpThreads, interOpThreads, n, maxContext, gpuMemoryGrowth);
    }

    public ModelSettings withMaxContext(int n) {
        return new ModelSettings(bundleDir, device, intraOpThreads, interOpThreads, maxBatch, n, gpuMemoryGrowth);
    }

    /** The language model's options. */
    public DecoderOptions decoderOptions() {
        return new DecoderOptions(device, intraOpThreads, interOpThreads, maxBatch, maxContext, gpuMemoryGrowth);
    }

    /**
     * The vision side's options: same device and threads; frames per TF run stay at the runtime's default, as
     * the jobs derive them ({@code StreamvlConfig.visionOptions}), since they bound activation memory, not
     * the LLM's batch.
     */
    public VisionOptions visionOptions() {
        return new VisionOptions(device, intraOpThreads, interOpThreads, VisionOptions.defaults().maxBatch(),
                gpuMemoryGrowth);
    }
}

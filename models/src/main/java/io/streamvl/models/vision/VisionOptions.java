package io.streamvl.models.vision;

import io.streamvl.models.TfSessions;
import io.streamvl.models.llama.DecoderOptions;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;

/**
 * How a {@link ClipVisionTower} or {@link Projector} runs.
 *
 * @param device "cpu" or "gpu" (first GPU)
 * @param intraOpThreads 0 lets TF pick (all cores)
 * @param interOpThreads 0 lets TF pick
 * @param maxBatch frames per {@code Session.run}; larger calls are split, so this bounds activation
 *     memory (see {@link ClipVisionConfig#activationBytesPerFrame})
 * @param gpuMemoryGrowth allocate GPU memory on demand instead of claiming it all at start
 */
public record VisionOptions(String device, int intraOpThreads, int interOpThreads, int maxBatch,
        boolean gpuMemoryGrowth) {

    public VisionOptions {
        TfSessions.checkDevice(device);
        if (maxBatch < 1 || intraOpThreads < 0 || interOpThreads < 0) {
            throw new IllegalArgumentException("invalid vision options " + device + " maxBatch=" + maxBatch
                    + " threads=" + intraOpThreads + "/" + interOpThreads);
        }
    }

    public static VisionOptions defaults() {
        return new VisionOptions("cpu", 0, 0, 16, true);
    }

    public VisionOptions withMaxBatch(int n) {
        return new VisionOptions(device, intraOpThreads, interOpThreads, n, gpuMemoryGrowth);
    }

    public VisionOptions withDevice(String d) {
        return new VisionOptions(d, intraOpThreads, interOpThreads, maxBatch, gpuMemoryGrowth);
    }

    public VisionOptions withThreads(int intra, int inter) {
        return new VisionOptions(device, intra, inter, maxBatch, gpuMemoryGrowth);
    }

    /** The same device and threads for the LLM side (and the shared matmul baseline). */
    public DecoderOptions asDecoderOptions() {
        return new DecoderOptions(device, intraOpThreads, interOpThreads, 1, 1, gpuMemoryGrowth);
    }

    Ops scope(Ops root) {
        return TfSessions.place(root, device);
    }

    ConfigProto sessionConfig() {
        return TfSessions.config(intraOpThreads, interOpThreads, gpuMemoryGrowth);
    }
}

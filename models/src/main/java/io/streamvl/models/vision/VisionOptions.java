package io.streamvl.models.vision;

import io.streamvl.models.llama.DecoderOptions;
import org.tensorflow.DeviceSpec;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GPUOptions;

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
        if (!"cpu".equals(device) && !"gpu".equals(device)) {
            throw new IllegalArgumentException("device must be cpu or gpu, got " + device);
        }
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
    DecoderOptions asDecoderOptions() {
        return new DecoderOptions(device, intraOpThreads, interOpThreads, 1, 1, gpuMemoryGrowth);
    }

    Ops scope(Ops root) {
        return "gpu".equals(device)
                ? root.withDevice(DeviceSpec.newBuilder().deviceType(DeviceSpec.DeviceType.GPU).deviceIndex(0).build())
                : root;
    }

    ConfigProto sessionConfig() {
        // Soft placement keeps integer bookkeeping ops (shapes, slices) legal on CPU when the graph asks for GPU.
        return ConfigProto.newBuilder()
                .setIntraOpParallelismThreads(intraOpThreads)
                .setInterOpParallelismThreads(interOpThreads)
                .setAllowSoftPlacement(true)
                .setGpuOptions(GPUOptions.newBuilder().setAllowGrowth(gpuMemoryGrowth))
                .build();
    }
}

package io.streamvl.models.llama;

import io.streamvl.models.TfSessions;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;

/**
 * How a {@link LlamaModel} runs: where, with how many threads, and how large its KV cache is.
 *
 * @param device "cpu" or "gpu" (first GPU)
 * @param intraOpThreads 0 lets TF pick (all cores)
 * @param interOpThreads 0 lets TF pick
 * @param maxBatch sequences decoded together at most; the cache holds this many rows
 * @param maxCacheLength tokens per sequence the cache holds (prompt plus generated); also capped by
 *     the config's {@code maxPositionEmbeddings}
 * @param gpuMemoryGrowth allocate GPU memory on demand instead of claiming it all at start
 */
public record DecoderOptions(String device, int intraOpThreads, int interOpThreads, int maxBatch,
        int maxCacheLength, boolean gpuMemoryGrowth) {

    public DecoderOptions {
        TfSessions.checkDevice(device);
        if (maxBatch < 1 || maxCacheLength < 1 || intraOpThreads < 0 || interOpThreads < 0) {
            throw new IllegalArgumentException("invalid decoder options " + device + " maxBatch=" + maxBatch
                    + " maxCacheLength=" + maxCacheLength + " threads=" + intraOpThreads + "/" + interOpThreads);
        }
    }

    public static DecoderOptions defaults() {
        return new DecoderOptions("cpu", 0, 0, 4, 2048, true);
    }

    public DecoderOptions withMaxBatch(int n) {
        return new DecoderOptions(device, intraOpThreads, interOpThreads, n, maxCacheLength, gpuMemoryGrowth);
    }

    public DecoderOptions withMaxCacheLength(int n) {
        return new DecoderOptions(device, intraOpThreads, interOpThreads, maxBatch, n, gpuMemoryGrowth);
    }

    public DecoderOptions withThreads(int intra, int inter) {
        return new DecoderOptions(device, intra, inter, maxBatch, maxCacheLength, gpuMemoryGrowth);
    }

    public DecoderOptions withDevice(String d) {
        return new DecoderOptions(d, intraOpThreads, interOpThreads, maxBatch, maxCacheLength, gpuMemoryGrowth);
    }

    Ops place(Ops root) {
        return TfSessions.place(root, device);
    }

    ConfigProto sessionConfig() {
        return TfSessions.config(intraOpThreads, interOpThreads, gpuMemoryGrowth);
    }
}

package io.streamvl.operators.ingest;

import io.streamvl.ingest.SampledFrame;
import io.streamvl.operators.vision.FusedTokens;

/**
 * What the video memory keeps of a sampled frame: the frame (stream, event time, JPEG at model size) and its
 * LLaVA-Mini Z' in {@link FusedTokens} form, null where the job runs no frame encoder (TS-LLaVA caption mode).
 * A Flink POJO, made by {@link FrameToMemory} before the shuffle to the memory so that the frame's G, Z and caption
 * T' (most of an encoded frame's bytes) do not cross it.
 */
public class MemoryFrame {
    public SampledFrame frame;
    public byte[] fused;

    public MemoryFrame() {}

    public MemoryFrame(SampledFrame frame, byte[] fused) {
        this.frame = frame;
        this.fused = fused;
    }

    @Override
    public String toString() {
        return "MemoryFrame{" + frame + ", " + (fused == null ? 0 : fused.length) + " B Z'}";
    }
}

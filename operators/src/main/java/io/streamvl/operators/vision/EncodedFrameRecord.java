package io.streamvl.operators.vision;

import io.streamvl.ingest.SampledFrame;
import io.streamvl.models.llavamini.EncodedFrame;

/**
 * A sampled frame with what LLaVA-Mini computed for it once, whatever the prompt: G, Z and Z' in
 * {@link EncodedFrame#toBytes()} form ({@code (P + 2·C²)·D} floats). A Flink POJO.
 */
public class EncodedFrameRecord {
    /** The frame as ingest sampled it: stream, event time, JPEG at model size. */
    public SampledFrame frame;
    /**
     * {@link EncodedFrame#toBytes()} of the frame; null when the job does not run LLaVA-Mini's frame encoder (TS-LLaVA
     * caption mode, {@link UnencodedFrame}).
     */
    public byte[] encoded;

    public EncodedFrameRecord() {}

    public EncodedFrameRecord(SampledFrame frame, EncodedFrame encoded) {
        this.frame = frame;
        this.encoded = encoded.toBytes();
    }

    /** The frame's tokens, parsed from {@link #encoded}. */
    public EncodedFrame encodedFrame() {
        return EncodedFrame.fromBytes(encoded);
    }

    @Override
    public String toString() {
        return "EncodedFrameRecord{" + frame + ", " + (encoded == null ? 0 : encoded.length) + " B encoded}";
    }
}

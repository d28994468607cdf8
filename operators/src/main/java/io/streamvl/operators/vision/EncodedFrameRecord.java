package io.streamvl.operators.vision;

import io.streamvl.ingest.SampledFrame;
import io.streamvl.models.llavamini.EncodedFrame;
import io.streamvl.models.llavamini.PromptedFrame;

/**
 * A sampled frame with what LLaVA-Mini computed for it once, whatever the prompt: G, Z and Z' in
 * {@link EncodedFrame#toBytes()} form ({@code (P + 2·C²)·D} floats); and, when the encoder fuses the caption
 * prompt, that prompt's fused text T' ({@code L·D} floats). A Flink POJO.
 */
public class EncodedFrameRecord {
    /** The frame as ingest sampled it: stream, event time, JPEG at model size. */
    public SampledFrame frame;
    /**
     * {@link EncodedFrame#toBytes()} of the frame; null when the job does not run LLaVA-Mini's frame encoder (TS-LLaVA
     * caption mode, {@link UnencodedFrame}).
     */
    public byte[] encoded;

    /** The prompt {@link #promptText} was fused for (the caption prompt); null without it. */
    public String prompt;
    /**
     * {@link FusedTokens} form of the prompt's fused text T' with this frame, computed by the encoder in the run
     * that computed Z', so the caption operator adds it to its running sum without a pre-fusion run of its own;
     * null when the encoder fuses no prompt.
     */
    public byte[] promptText;

    public EncodedFrameRecord() {}

    public EncodedFrameRecord(SampledFrame frame, EncodedFrame encoded) {
        this.frame = frame;
        this.encoded = encoded.toBytes();
    }

    public EncodedFrameRecord(SampledFrame frame, PromptedFrame prompted, String prompt) {
        this(frame, prompted.frame());
        this.prompt = prompt;
        this.promptText = FusedTokens.toBytes(prompted.text());
    }

    /** The fused text T' of {@code forPrompt} with this frame, if the encoder computed it; else null. */
    public float[][] fusedText(String forPrompt) {
        return promptText != null && forPrompt.equals(prompt) ? FusedTokens.fromBytes(promptText) : null;
    }

    /** The frame's tokens, parsed from {@link #encoded}. */
    public EncodedFrame encodedFrame() {
        return EncodedFrame.fromBytes(encoded);
    }

    @Override
    public String toString() {
        return "EncodedFrameRecord{" + frame + ", " + (encoded == null ? 0 : encoded.length) + " B encoded"
                + (promptText == null ? "" : ", " + promptText.length + " B fused text") + "}";
    }
}

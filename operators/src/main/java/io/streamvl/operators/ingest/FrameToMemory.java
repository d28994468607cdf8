package io.streamvl.operators.ingest;

import io.streamvl.operators.vision.EncodedFrameRecord;
import io.streamvl.operators.vision.FusedTokens;
import org.apache.flink.api.common.functions.MapFunction;

/** An encoded frame as the video memory keeps it: the sampled frame and its Z' alone ({@link MemoryFrame}). */
public class FrameToMemory implements MapFunction<EncodedFrameRecord, MemoryFrame> {
    private static final long serialVersionUID = 1L;

    public static final String UID = "frame-to-memory";

    @Override
    public MemoryFrame map(EncodedFrameRecord record) {
        return new MemoryFrame(record.frame,
                record.encoded == null ? null : FusedTokens.toBytes(record.encodedFrame().fused()));
    }
}

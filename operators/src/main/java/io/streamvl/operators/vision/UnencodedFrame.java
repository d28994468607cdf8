package io.streamvl.operators.vision;

import io.streamvl.ingest.SampledFrame;
import org.apache.flink.api.common.functions.MapFunction;

/**
 * A sampled frame handed on without LLaVA-Mini's tokens, where the job runs no frame encoder (TS-LLaVA caption
 * mode): the video memory and the TS-LLaVA caption windows take the same records as behind the encoder.
 */
public class UnencodedFrame implements MapFunction<SampledFrame, EncodedFrameRecord> {
    private static final long serialVersionUID = 1L;

    public static final String UID = "frame-unencoded";

    @Override
    public EncodedFrameRecord map(SampledFrame frame) {
        EncodedFrameRecord r = new EncodedFrameRecord();
        r.frame = frame;
        return r;
    }
}

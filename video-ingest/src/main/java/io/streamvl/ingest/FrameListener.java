package io.streamvl.ingest;

/** Receives what {@link FrameExtractor} produces, in decode order. */
public interface FrameListener {
    /** Every decoded frame, sampled or not: drives watermarks and decode metrics. */
    void decoded(long eventTimeMillis);

    void sampled(SampledFrame frame);
}

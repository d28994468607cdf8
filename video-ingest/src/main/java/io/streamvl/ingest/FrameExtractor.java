package io.streamvl.ingest;

import io.streamvl.kafka.DlqReason;

/**
 * Decode, sample and compact one input: each sampled frame becomes a {@link SampledFrame} holding
 * a JPEG at model size. Reuses one converter across calls, so keep one extractor per thread.
 */
public final class FrameExtractor implements AutoCloseable {
    private final DecoderOptions opts;
    private final ModelInputSpec spec;
    private final ModelInputConverter converter;

    public FrameExtractor(DecoderOptions opts, ModelInputSpec spec) {
        this.opts = opts;
        this.spec = spec;
        this.converter = new ModelInputConverter(spec);
    }

    /**
     * Event time of a frame is {@code baseMillis * 1000 + ptsMicros} in microseconds, which is what
     * the sampler sees; {@link SampledFrame#eventTimeMillis} is that floored to milliseconds.
     *
     * @param segmentSequence copied into each SampledFrame (-1 for a video file)
     * @throws VideoDecodeException if the input cannot be opened, yields no frame (EMPTY_SEGMENT),
     *     or fails mid-way; frames handed to {@code out} before a failure stay delivered
     */
    public ExtractStats extract(VideoInput in, String streamId, long baseMillis, long segmentSequence,
            FrameSampler sampler, FrameListener out) throws VideoDecodeException {
        long decoded = 0;
        long sampled = 0;
        long newest = Long.MIN_VALUE;
        long baseMicros = Math.multiplyExact(baseMillis, 1000L);
        try (VideoDecoder decoder = VideoDecoder.open(in, opts)) {
            VideoInfo info = decoder.info();
            for (DecodedFrame f; (f = decoder.next()) != null; ) {
                decoded++;
                long eventMicros = baseMicros + f.ptsMicros();
                long eventMillis = Math.floorDiv(eventMicros, 1000L);
                newest = Math.max(newest, eventMillis);
                out.decoded(eventMillis);
                if (sampler.sample(eventMicros)) {
                    out.sampled(compact(f, info, streamId, eventMillis, segmentSequence));
                    sampled++;
                }
            }
            if (decoded == 0) {
                throw new VideoDecodeException(DlqReason.EMPTY_SEGMENT,
                        in.describe() + ": opened as " + info.formatName() + "/" + info.codecName()
                                + " but no frame could be decoded");
            }
            return new ExtractStats(decoded, sampled, newest, info);
        }
    }

    /**
     * One decoded frame as a {@link SampledFrame}, for callers that drive the decoder and sampler
     * themselves (e.g. a checkpointed source that emits frame by frame).
     */
    public SampledFrame compact(DecodedFrame f, VideoInfo info, String streamId, long eventMillis, long sequence) {
        SampledFrame s = new SampledFrame();
        s.streamId = streamId;
        s.eventTimeMillis = eventMillis;
        s.ptsMicros = f.ptsMicros();
        s.segmentSequence = sequence;
        s.sourceWidth = f.width();
        s.sourceHeight = f.height();
        s.width = spec.width();
        s.height = spec.height();
        s.jpeg = converter.toJpeg(f);
        return s;
    }

    @Override
    public void close() {
        converter.close();
    }
}

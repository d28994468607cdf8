package io.streamvl.ingest.source;

import io.streamvl.ingest.DecodedFrame;
import io.streamvl.ingest.DecoderOptions;
import io.streamvl.ingest.FrameExtractor;
import io.streamvl.ingest.FrameSampler;
import io.streamvl.ingest.ModelInputSpec;
import io.streamvl.ingest.SampledFrame;
import io.streamvl.ingest.VideoDecodeException;
import io.streamvl.ingest.VideoDecoder;
import io.streamvl.ingest.VideoInfo;
import io.streamvl.ingest.VideoInput;
import io.streamvl.kafka.DlqReason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one split frame by frame, so the reader can hand control back to Flink (and let a
 * checkpoint in) between any two frames. Owns the split's native objects from the first
 * {@link #step} until {@link #close()}.
 */
final class VideoSplitCursor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VideoSplitCursor.class);
    /**
     * Restores seek this far before the position: demuxers with approximate seeking (MPEG-TS, files
     * without an index) land near the target rather than at or before it, and landing after it
     * forces the slow fallback of decoding from the start.
     */
    static final long SEEK_MARGIN_MICROS = 1_000_000L;

    private final VideoSplit split;
    private final DecoderOptions decoderOptions;
    private final ModelInputSpec spec;
    private final SourceCounters counters;
    private final FrameSampler sampler;
    private final long baseMicros;

    private FrameExtractor extractor;
    private VideoDecoder decoder;
    private VideoInfo info;
    private long ptsMicros;
    private int framesAtPts;
    private long framesDecoded;
    private long framesSampled;
    /** True until the first frame after the restored position: frames up to it were processed before. */
    private boolean skipping;
    private int skippedAtPts;
    /** A frame read while checking the restore seek, to be processed next. */
    private DecodedFrame pending;
    private boolean done;

    VideoSplitCursor(VideoSplit split, DecoderOptions decoderOptions, ModelInputSpec spec,
            double samplingFps, SourceCounters counters) {
        this.split = split;
        this.decoderOptions = decoderOptions;
        this.spec = spec;
        this.counters = counters;
        this.sampler = new FrameSampler(samplingFps);
        this.baseMicros = Math.multiplyExact(split.video().baseEventTimeMillis(), 1000L);
        VideoPosition p = split.position();
        this.sampler.restoreLastTick(p.lastTick());
        this.ptsMicros = p.ptsMicros();
        this.framesAtPts = p.framesAtPts();
        this.framesDecoded = p.framesDecoded();
        this.framesSampled = p.framesSampled();
        this.skipping = p.started();
    }

    /**
     * Processes frames until one is sampled (returned as a FRAME record), the video ends (END),
     * it fails (ERROR), or {@code maxFrames} frames were processed without a sample (null).
     * After END or ERROR the cursor is {@link #done()}.
     */
    VideoFileRecord step(int maxFrames) {
        try {
            if (decoder == null) {
                open();
            }
            for (int i = 0; i < maxFrames; i++) {
                DecodedFrame f = nextFrame();
                if (f == null) {
                    return finish();
                }
                if (skipping && alreadyProcessed(f.ptsMicros())) {
                    continue;
                }
                skipping = false;
                SampledFrame s = process(f);
                if (s != null) {
                    return VideoFileRecord.frame(s, progress());
                }
            }
            return null;
        } catch (VideoDecodeException e) {
            return fail(e.reason(), e.getMessage());
        } catch (RuntimeException e) {
            // the decoder reports bad input as VideoDecodeException; anything else escaping from the
            // native layer for one video must still not fail the job, so it is reported like bad input
            LOG.warn("unexpected failure reading {}", describe(), e);
            return fail(DlqReason.CORRUPT_SEGMENT, describe() + ": " + e);
        }
    }

    boolean done() {
        return done;
    }

    /** The split with the current position, for a checkpoint taken between two steps. */
    VideoSplit snapshot() {
        return split.withPosition(new VideoPosition(ptsMicros, framesAtPts, sampler.lastTick(), framesDecoded,
                framesSampled));
    }

    /** Event time of the newest processed frame, or the base event time before the first one. */
    long eventTimeMillis() {
        return Math.floorDiv(baseMicros + (framesDecoded > 0 ? ptsMicros : 0), 1000L);
    }

    @Override
    public void close() {
        pending = null;
        if (decoder != null) {
            decoder.close();
            decoder = null;
        }
        if (extractor != null) {
            extractor.close();
            extractor = null;
        }
    }

    private void open() throws VideoDecodeException {
        VideoInput input = VideoInput.ofUri(split.video().uri());
        extractor = new FrameExtractor(decoderOptions, spec);
        decoder = VideoDecoder.open(input, decoderOptions);
        info = decoder.info();
        if (skipping && ptsMicros >= SEEK_MARGIN_MICROS) {
            seekToPosition(input);
        }
    }

    /**
     * Positions the decoder at or shortly before the restored position. If the seek lands after it
     * (the first frame after the seek is newer than the position), decodes from the start instead,
     * which is slow but never loses a frame.
     */
    private void seekToPosition(VideoInput input) throws VideoDecodeException {
        // decoding one frame first makes the decoder fix the stream's start time when the container
        // does not declare it; otherwise pts after the seek would be measured from the seek target
        if (decoder.next() == null) {
            return;
        }
        decoder.seekMicros(ptsMicros - SEEK_MARGIN_MICROS);
        DecodedFrame first = decoder.next();
        if (first != null && first.ptsMicros() <= ptsMicros) {
            pending = first;
            return;
        }
        LOG.info("seek in {} to {} us overshot (first frame at {}); decoding from the start", describe(),
                ptsMicros - SEEK_MARGIN_MICROS, first == null ? "end of input" : first.ptsMicros());
        decoder.close();
        decoder = null;
        skippedAtPts = 0;
        decoder = VideoDecoder.open(input, decoderOptions);
    }

    private DecodedFrame nextFrame() throws VideoDecodeException {
        if (pending != null) {
            DecodedFrame f = pending;
            pending = null;
            return f;
        }
        return decoder.next();
    }

    private boolean alreadyProcessed(long pts) {
        if (pts < ptsMicros) {
            return true;
        }
        if (pts == ptsMicros && skippedAtPts < framesAtPts) {
            skippedAtPts++;
            return true;
        }
        return false;
    }

    /** Advances the position past {@code f}; returns it compacted if the sampler picks it. */
    private SampledFrame process(DecodedFrame f) {
        long pts = f.ptsMicros();
        framesAtPts = framesDecoded > 0 && pts == ptsMicros ? framesAtPts + 1 : 1;
        ptsMicros = pts;
        framesDecoded++;
        counters.framesDecoded().inc();
        long eventMicros = baseMicros + pts;
        if (!sampler.sample(eventMicros)) {
            return null;
        }
        SampledFrame s = extractor.compact(f, info, split.video().videoId(), Math.floorDiv(eventMicros, 1000L), -1L);
        framesSampled++;
        counters.framesSampled().inc();
        return s;
    }

    private VideoFileRecord finish() {
        if (framesDecoded == 0) {
            return fail(DlqReason.EMPTY_SEGMENT, describe() + ": opened as " + info.formatName() + "/"
                    + info.codecName() + " but no frame could be decoded");
        }
        done = true;
        return VideoFileRecord.end(split.video().videoId(), progress());
    }

    private VideoFileRecord fail(DlqReason reason, String message) {
        done = true;
        counters.decodeErrors().inc();
        LOG.warn("video {} failed after {} frames: {} ({})", split.video().videoId(), framesDecoded, message,
                reason.code());
        return VideoFileRecord.error(split.video().videoId(), progress(), reason, message);
    }

    private VideoFileRecord.Progress progress() {
        return new VideoFileRecord.Progress(framesDecoded, framesSampled, framesDecoded > 0 ? ptsMicros : -1,
                info == null ? -1 : info.durationMicros());
    }

    private String describe() {
        return VideoInput.ofUri(split.video().uri()).describe();
    }
}

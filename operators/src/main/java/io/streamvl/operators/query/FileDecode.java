package io.streamvl.operators.query;

import io.streamvl.ingest.FrameSampler;
import io.streamvl.ingest.VideoInfo;

/**
 * How far {@link FileQueryFunction} has decoded one query's video: kept in keyed state between mailbox turns,
 * so a restored job resumes the decode (re-decoding the first {@link #framesDecoded} frames without
 * processing them) and samples exactly what an uninterrupted run would. A Flink POJO.
 */
public class FileDecode {
    public QueryRequest request;
    /** Media time decoding stops at, whatever the range: {@link QuerySettings#maxFileMedia()}, µs. */
    public long limitMicros;
    /** Sampling rate after the per-query cap; 0 until the video has been opened. */
    public double samplingFps;
    /** The container's duration, or -1 when unknown. */
    public long durationMicros = -1;
    /** Frames decoded and processed so far, in decode order. */
    public long framesDecoded;
    public long lastTick = FrameSampler.NO_TICK;
    /** Frames the sampler picked so far; the {@code i}-th is kept when {@code i % stride == 0}. */
    public long sampled;
    public int stride = 1;
    /** Frames kept so far (in the frames list state). */
    public int kept;
    /** Decode fraction last reported in a progress event. */
    public double reportedFraction;
    /** Media position last reported, for videos of unknown length, µs. */
    public long reportedMicros;

    public FileDecode() {}

    static FileDecode start(QueryRequest request, long limitMicros) {
        FileDecode d = new FileDecode();
        d.request = request;
        d.limitMicros = limitMicros;
        return d;
    }

    boolean opened() {
        return samplingFps > 0;
    }

    /**
     * Fixes the sampling rate once the video's length is known: {@code fps}, lowered so that the range holds
     * about {@code maxFrames} samples when it is longer: they are then spaced evenly over the whole range, and
     * only they pay for conversion to JPEG, not every sample at the full rate.
     */
    void begin(VideoInfo info, double fps, int maxFrames) {
        durationMicros = info.durationMicros();
        long span = endMicros() < 0 ? -1 : endMicros() - startMicros();
        samplingFps = span > 0 ? Math.min(fps, maxFrames / (span / 1e6)) : fps;
    }

    /** Media time the query's range starts at, µs. */
    long startMicros() {
        Long from = request.query.fromMillis;
        return from == null ? 0 : Math.max(0, from * 1000);
    }

    /** Media time decoding stops at (exclusive) when the video lasts longer: the range's end or the limit, µs. */
    long stopMicros() {
        Long to = request.query.toMillis;
        return to == null ? limitMicros : Math.min(to * 1000, limitMicros);
    }

    /** Where decoding will end, µs: where it stops or the video ends, whichever is first; -1 when unknown. */
    long endMicros() {
        long stop = stopMicros();
        if (durationMicros < 0) {
            return stop == limitMicros ? -1 : stop;
        }
        return Math.min(stop, durationMicros);
    }

    /** Share of the range decoded when at {@code positionMicros}, or -1 when the range's end is unknown. */
    double fraction(long positionMicros) {
        long end = endMicros();
        long start = startMicros();
        if (end <= start) {
            return end < 0 ? -1 : 1;
        }
        return Math.max(0, Math.min(1, (positionMicros - start) / (double) (end - start)));
    }

    /** The time one kept frame stands for, ms. */
    long keptIntervalMillis() {
        return (long) Math.ceil(1000.0 * stride / samplingFps);
    }
}

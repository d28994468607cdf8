package io.streamvl.ingest.source;

import io.streamvl.ingest.SampledFrame;
import io.streamvl.kafka.DlqReason;
import java.util.Objects;

/**
 * What {@link VideoFileSource} emits. Per video, in order: zero or more {@link Kind#FRAME}
 * records, then exactly one {@link Kind#END} (decoded to the end) or one {@link Kind#ERROR}
 * (gave up; frames already emitted stay valid). A consumer answering questions about a whole
 * video therefore waits for END and reports "failed" on ERROR; every record carries counts and
 * progress for "decoding" progress events. A Flink POJO (public fields, no-arg constructor).
 */
public class VideoFileRecord {
    /** The record's role; decides which of the fields below are set. */
    public enum Kind {
        /** A sampled frame: {@link #frame} is set. */
        FRAME,
        /** The video is fully decoded; counts are final. */
        END,
        /** The video cannot be read (further): {@link #errorReason} and {@link #errorMessage} are set. */
        ERROR
    }

    public Kind kind;
    /** The video's id as given to the source; equals {@code frame.streamId} for frames. */
    public String videoId;
    /** FRAME only: JPEG at model size, event time = base event time + pts, segmentSequence -1. */
    public SampledFrame frame;
    /** Frames decoded so far (all frames, sampled or not); for END, the video's frame count. */
    public long framesDecoded;
    /** Frames emitted so far, this one included; for END, the number of FRAME records. */
    public long framesSampled;
    /** pts (µs from the first frame) of the newest decoded frame; -1 before the first frame. */
    public long positionMicros = -1;
    /** Duration the container declares, µs, or -1 when unknown (or the video could not be opened). */
    public long durationMicros = -1;
    /**
     * Decoding progress in [0, 1]: positionMicros / durationMicros (capped at 1), 1 for END, or -1
     * when the duration is unknown.
     */
    public double progress = -1;
    /** ERROR only: a {@link DlqReason#code()}, e.g. "corrupt-segment" (also for missing or unreachable files). */
    public String errorReason;
    /** ERROR only: human-readable cause naming the input (credentials in URLs redacted). */
    public String errorMessage;

    public VideoFileRecord() {}

    static VideoFileRecord frame(SampledFrame frame, Progress p) {
        VideoFileRecord r = of(Kind.FRAME, frame.streamId, p);
        r.frame = frame;
        return r;
    }

    static VideoFileRecord end(String videoId, Progress p) {
        VideoFileRecord r = of(Kind.END, videoId, p);
        r.progress = 1.0;
        return r;
    }

    static VideoFileRecord error(String videoId, Progress p, DlqReason reason, String message) {
        VideoFileRecord r = of(Kind.ERROR, videoId, p);
        r.errorReason = reason.code();
        r.errorMessage = message;
        return r;
    }

    private static VideoFileRecord of(Kind kind, String videoId, Progress p) {
        VideoFileRecord r = new VideoFileRecord();
        r.kind = kind;
        r.videoId = videoId;
        r.framesDecoded = p.framesDecoded();
        r.framesSampled = p.framesSampled();
        r.positionMicros = p.positionMicros();
        r.durationMicros = p.durationMicros();
        r.progress = p.durationMicros() > 0 && p.positionMicros() >= 0
                ? Math.min(1.0, (double) p.positionMicros() / p.durationMicros())
                : -1;
        return r;
    }

    /** The counters every record copies. */
    record Progress(long framesDecoded, long framesSampled, long positionMicros, long durationMicros) {}

    @Override
    public boolean equals(Object o) {
        return o instanceof VideoFileRecord r && kind == r.kind && Objects.equals(videoId, r.videoId)
                && Objects.equals(frame, r.frame) && framesDecoded == r.framesDecoded
                && framesSampled == r.framesSampled && positionMicros == r.positionMicros
                && durationMicros == r.durationMicros && Double.compare(progress, r.progress) == 0
                && Objects.equals(errorReason, r.errorReason) && Objects.equals(errorMessage, r.errorMessage);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, videoId, frame, framesDecoded, framesSampled);
    }

    @Override
    public String toString() {
        return "VideoFileRecord{" + kind + " " + videoId + (frame != null ? " " + frame : "") + " decoded="
                + framesDecoded + " sampled=" + framesSampled + " progress=" + progress
                + (errorReason != null ? " " + errorReason + ": " + errorMessage : "") + "}";
    }
}

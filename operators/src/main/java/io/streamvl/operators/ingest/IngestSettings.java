package io.streamvl.operators.ingest;

import io.streamvl.ingest.DecoderOptions;
import io.streamvl.ingest.ModelInputSpec;
import io.streamvl.operators.clock.StreamClockSettings;
import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/** Everything the ingest operators need to know, resolved from the job configuration. */
public final class IngestSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    public final double samplingFps;
    public final ModelInputSpec modelInput;
    public final DecoderOptions decoder;
    /** When a stream's status windows close: the same clock settings as its caption windows. */
    public final StreamClockSettings statusClock;
    public final int maxSegmentBytes;
    public final Duration memoryRetention;
    public final int memoryMaxFrames;
    public final Duration memoryIdleTtl;

    public IngestSettings(double samplingFps, ModelInputSpec modelInput, DecoderOptions decoder,
            StreamClockSettings statusClock, int maxSegmentBytes, Duration memoryRetention, int memoryMaxFrames,
            Duration memoryIdleTtl) {
        if (!(samplingFps > 0)) {
            throw new IllegalArgumentException("sampling rate must be > 0 fps, got " + samplingFps);
        }
        if (memoryMaxFrames < 1) {
            throw new IllegalArgumentException("video memory must hold at least one frame");
        }
        if (memoryIdleTtl.compareTo(memoryRetention) <= 0) {
            // frames are TTL'd one by one: a TTL inside the retention would drop live frames
            throw new IllegalArgumentException("video memory idle TTL (" + memoryIdleTtl
                    + ") must be longer than its retention (" + memoryRetention + ")");
        }
        this.samplingFps = samplingFps;
        this.modelInput = Objects.requireNonNull(modelInput);
        this.decoder = Objects.requireNonNull(decoder);
        this.statusClock = Objects.requireNonNull(statusClock);
        this.maxSegmentBytes = maxSegmentBytes;
        this.memoryRetention = Objects.requireNonNull(memoryRetention);
        this.memoryMaxFrames = memoryMaxFrames;
        this.memoryIdleTtl = Objects.requireNonNull(memoryIdleTtl);
    }
}

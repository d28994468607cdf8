package io.streamvl.operators.ingest;

import io.streamvl.ingest.DecoderOptions;
import io.streamvl.ingest.ModelInputSpec;
import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/** Everything the ingest operators need to know, resolved from the job configuration. */
public final class IngestSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    public final double samplingFps;
    public final ModelInputSpec modelInput;
    public final DecoderOptions decoder;
    public final Duration window;
    public final int maxSegmentBytes;
    public final Duration memoryRetention;
    public final int memoryMaxFrames;
    public final Duration memoryIdleTtl;

    public IngestSettings(double samplingFps, ModelInputSpec modelInput, DecoderOptions decoder,
            Duration window, int maxSegmentBytes, Duration memoryRetention, int memoryMaxFrames,
            Duration memoryIdleTtl) {
        if (!(samplingFps > 0)) {
            throw new IllegalArgumentException("sampling rate must be > 0 fps, got " + samplingFps);
        }
        if (window.isZero() || window.isNegative()) {
            throw new IllegalArgumentException("window must be positive, got " + window);
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
        this.window = window;
        this.maxSegmentBytes = maxSegmentBytes;
        this.memoryRetention = Objects.requireNonNull(memoryRetention);
        this.memoryMaxFrames = memoryMaxFrames;
        this.memoryIdleTtl = Objects.requireNonNull(memoryIdleTtl);
    }

    public long windowStartOf(long eventTimeMillis) {
        long w = window.toMillis();
        return Math.floorDiv(eventTimeMillis, w) * w;
    }
}

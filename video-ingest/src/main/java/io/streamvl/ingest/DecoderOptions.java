package io.streamvl.ingest;

import java.io.Serializable;

/** Immutable decoder settings; every {@code withXxx} returns a modified copy. */
public final class DecoderOptions implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int maxDimension;
    private final int threads;
    private final long ioTimeoutMicros;
    private final boolean skipCorruptFrames;
    private final long reconnectInitialDelayMillis;
    private final long reconnectMaxDelayMillis;
    private final String rtspTransport;

    private DecoderOptions(int maxDimension, int threads, long ioTimeoutMicros, boolean skipCorruptFrames,
            long reconnectInitialDelayMillis, long reconnectMaxDelayMillis, String rtspTransport) {
        if (maxDimension <= 0 || threads < 0 || ioTimeoutMicros <= 0 || reconnectInitialDelayMillis <= 0
                || reconnectMaxDelayMillis < reconnectInitialDelayMillis) {
            throw new IllegalArgumentException("invalid decoder options: maxDimension=" + maxDimension
                    + " threads=" + threads + " ioTimeoutMicros=" + ioTimeoutMicros + " reconnect="
                    + reconnectInitialDelayMillis + ".." + reconnectMaxDelayMillis + " ms");
        }
        this.maxDimension = maxDimension;
        this.threads = threads;
        this.ioTimeoutMicros = ioTimeoutMicros;
        this.skipCorruptFrames = skipCorruptFrames;
        this.reconnectInitialDelayMillis = reconnectInitialDelayMillis;
        this.reconnectMaxDelayMillis = reconnectMaxDelayMillis;
        this.rtspTransport = rtspTransport;
    }

    public static DecoderOptions defaults() {
        return new DecoderOptions(8192, 0, 10_000_000L, false, 500, 30_000, "tcp");
    }

    /** Largest accepted width or height; larger streams fail with ABSURD_DIMENSIONS. */
    public int maxDimension() {
        return maxDimension;
    }

    /** Decoder threads; 0 lets FFmpeg pick one per core. */
    public int threads() {
        return threads;
    }

    /** Limit for one blocking network read or for opening a network input. */
    public long ioTimeoutMicros() {
        return ioTimeoutMicros;
    }

    /**
     * Whether frames the decoder flags as corrupt (concealed errors, truncated data) are dropped
     * and counted instead of failing with CORRUPT_SEGMENT. Live readers want this; segments do not.
     */
    public boolean skipCorruptFrames() {
        return skipCorruptFrames;
    }

    public long reconnectInitialDelayMillis() {
        return reconnectInitialDelayMillis;
    }

    public long reconnectMaxDelayMillis() {
        return reconnectMaxDelayMillis;
    }

    /** RTSP lower transport ("tcp" or "udp"); TCP by default because UDP loses packets through NAT. */
    public String rtspTransport() {
        return rtspTransport;
    }

    public DecoderOptions withMaxDimension(int v) {
        return new DecoderOptions(v, threads, ioTimeoutMicros, skipCorruptFrames, reconnectInitialDelayMillis,
                reconnectMaxDelayMillis, rtspTransport);
    }

    public DecoderOptions withThreads(int v) {
        return new DecoderOptions(maxDimension, v, ioTimeoutMicros, skipCorruptFrames, reconnectInitialDelayMillis,
                reconnectMaxDelayMillis, rtspTransport);
    }

    public DecoderOptions withIoTimeoutMicros(long v) {
        return new DecoderOptions(maxDimension, threads, v, skipCorruptFrames, reconnectInitialDelayMillis,
                reconnectMaxDelayMillis, rtspTransport);
    }

    public DecoderOptions withSkipCorruptFrames(boolean v) {
        return new DecoderOptions(maxDimension, threads, ioTimeoutMicros, v, reconnectInitialDelayMillis,
                reconnectMaxDelayMillis, rtspTransport);
    }

    public DecoderOptions withReconnectDelays(long initialMillis, long maxMillis) {
        return new DecoderOptions(maxDimension, threads, ioTimeoutMicros, skipCorruptFrames, initialMillis, maxMillis,
                rtspTransport);
    }

    public DecoderOptions withRtspTransport(String v) {
        return new DecoderOptions(maxDimension, threads, ioTimeoutMicros, skipCorruptFrames,
                reconnectInitialDelayMillis, reconnectMaxDelayMillis, v);
    }

    @Override
    public String toString() {
        return "DecoderOptions{maxDimension=" + maxDimension + ", threads=" + threads + ", ioTimeoutMicros="
                + ioTimeoutMicros + ", skipCorruptFrames=" + skipCorruptFrames + ", reconnect="
                + reconnectInitialDelayMillis + ".." + reconnectMaxDelayMillis + " ms, rtspTransport="
                + rtspTransport + "}";
    }
}

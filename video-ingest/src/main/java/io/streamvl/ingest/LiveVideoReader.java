package io.streamvl.ingest;

import io.streamvl.kafka.DlqReason;
import java.util.concurrent.ThreadLocalRandom;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a live source (RTSP, HTTP(S), HLS) that should never end: when the connection drops,
 * times out or the server closes it, the reader reopens with jittered exponential backoff and
 * carries on. Timestamps stay monotonic across reconnects: each new connection's frames are
 * offset to start one frame interval after the last frame delivered.
 *
 * <p>Corrupt frames (packet loss) are dropped and counted rather than ending the stream. Codec
 * and dimension problems are not transient and end it with a {@link VideoDecodeException}.
 * {@link #next()} is for one consumer thread; {@link #close()} may be called from any thread and
 * makes a blocked {@code next()} return null promptly.
 */
public final class LiveVideoReader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LiveVideoReader.class);

    private final VideoInput input;
    private final DecoderOptions opts;
    private final FrameView frame = new FrameView(null);
    private volatile boolean closed;
    private volatile VideoDecoder decoder;
    private VideoInfo info;
    private int reconnects;
    private int failedAttempts;
    private long offsetMicros;
    private long lastPtsMicros = Long.MIN_VALUE;
    private long corruptFramesSkipped;

    public LiveVideoReader(VideoInput input, DecoderOptions opts) {
        this.input = input;
        this.opts = opts.withSkipCorruptFrames(true);
    }

    /**
     * The next frame, blocking across reconnects; null only once closed. The frame is valid until
     * the next call or close.
     *
     * @throws VideoDecodeException UNSUPPORTED_CODEC or ABSURD_DIMENSIONS, which retrying cannot fix
     */
    public synchronized DecodedFrame next() throws VideoDecodeException, InterruptedException {
        while (!closed) {
            if (decoder == null && !connect()) {
                continue;
            }
            DecodedFrame f = readOrDrop();
            if (f != null) {
                failedAttempts = 0;
                frame.avFrame = ((NativeFrame) f).avFrame();
                frame.pts = Math.max(offsetMicros + f.ptsMicros(), lastPtsMicros == Long.MIN_VALUE ? 0 : lastPtsMicros + 1);
                lastPtsMicros = frame.pts;
                return frame;
            }
        }
        return null;
    }

    /** The current (or last) connection's stream description; null before the first connection. */
    public synchronized VideoInfo info() {
        return info;
    }

    /** Connections reopened after the first one. */
    public synchronized int reconnects() {
        return reconnects;
    }

    public synchronized long corruptFramesSkipped() {
        return corruptFramesSkipped + (decoder == null ? 0 : decoder.corruptFramesSkipped());
    }

    @Override
    public void close() {
        closed = true;
        VideoDecoder d = decoder;
        if (d != null) {
            d.abort();
        }
        synchronized (this) {
            notifyAll();
            disconnect();
        }
    }

    private boolean connect() throws VideoDecodeException, InterruptedException {
        try {
            decoder = VideoDecoder.open(input, opts, () -> closed);
        } catch (VideoDecodeException e) {
            if (closed) {
                return false;
            }
            if (isPermanent(e)) {
                throw e;
            }
            backOff(e);
            return false;
        }
        info = decoder.info();
        if (lastPtsMicros != Long.MIN_VALUE) {
            reconnects++;
            offsetMicros = lastPtsMicros + frameIntervalMicros();
            LOG.info("{}: reconnected (#{}), timestamps continue from {} us", input.describe(), reconnects, offsetMicros);
        }
        return true;
    }

    /** A frame from the open connection, or null after dropping a connection that ended or failed. */
    private DecodedFrame readOrDrop() throws VideoDecodeException, InterruptedException {
        try {
            DecodedFrame f = decoder.next();
            if (f != null) {
                return f;
            }
            disconnect();
            if (!closed) {
                backOff(input.describe() + ": stream ended");
            }
        } catch (VideoDecodeException e) {
            disconnect();
            if (isPermanent(e)) {
                throw e;
            }
            backOff(e);
        }
        return null;
    }

    private void disconnect() {
        if (decoder != null) {
            corruptFramesSkipped += decoder.corruptFramesSkipped();
            decoder.close();
            decoder = null;
        }
    }

    private void backOff(VideoDecodeException e) throws InterruptedException {
        backOff(e.getMessage());
    }

    /** Waits initial * 2^attempts, capped at the maximum, scaled by a random factor in [0.5, 1]. */
    private void backOff(String why) throws InterruptedException {
        long cap = opts.reconnectMaxDelayMillis();
        long base = opts.reconnectInitialDelayMillis() << Math.min(failedAttempts, 20);
        long delay = Math.min(cap, base);
        delay = Math.max(1, (long) (delay * (0.5 + 0.5 * ThreadLocalRandom.current().nextDouble())));
        failedAttempts++;
        LOG.warn("{}; reconnecting in {} ms", why, delay);
        long until = System.currentTimeMillis() + delay;
        for (long left = delay; left > 0 && !closed; left = until - System.currentTimeMillis()) {
            wait(left);
        }
    }

    private long frameIntervalMicros() {
        return info != null && info.frameRate() > 0 ? Math.round(1_000_000 / info.frameRate()) : 1;
    }

    private static boolean isPermanent(VideoDecodeException e) {
        return e.reason() == DlqReason.UNSUPPORTED_CODEC || e.reason() == DlqReason.ABSURD_DIMENSIONS;
    }
}

package io.streamvl.ingest.segment;

import io.streamvl.ingest.VideoInput;
import io.streamvl.kafka.SegmentPublisher;
import java.io.IOException;
import java.time.Clock;
import java.util.Objects;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.InterruptException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a video file or URL to the segments topic as if it were a live camera: what
 * {@code streamvl produce} runs. Segment {@code k} gets sequence number {@code k} and event time
 * {@code producer start + segment start} (epoch ms). With looping the input starts again after its
 * end and its times keep increasing, so event time never goes backwards. With real-time pacing a
 * segment is published only once its end has passed on the wall clock, as a camera would.
 *
 * <p>A network input (RTSP, HTTP(S), HLS) is a live camera: when its connection drops or its
 * stream ends, the producer reconnects with exponential backoff (0.5 s doubling to 30 s) and goes
 * on, with sequence numbers continuing and the new segments placed on the wall clock, until
 * {@link #close()}. Only a camera that cannot be reached at all before the first segment fails.
 */
public final class SegmentProducer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SegmentProducer.class);
    private static final long RECONNECT_INITIAL_MILLIS = 500;
    private static final long RECONNECT_MAX_MILLIS = 30_000;

    /** What to publish and how. */
    public record Options(String input, String streamId, boolean realtime, boolean loop, double segmentSeconds,
            SegmentContainer container) {
        public Options {
            Objects.requireNonNull(input, "input");
            if (streamId == null || streamId.isBlank()) {
                throw new IllegalArgumentException("a stream id is required");
            }
            Objects.requireNonNull(container, "container");
        }

        public static Options of(String input, String streamId) {
            return new Options(input, streamId, false, false, Segmenter.DEFAULT_SEGMENT_SECONDS,
                    SegmentContainer.MPEGTS);
        }
    }

    /** Told about every segment once the broker has it. */
    @FunctionalInterface
    public interface Listener {
        void published(EncodedSegment segment, long sequence, long startMillis, RecordMetadata metadata);
    }

    private final SegmentPublisher publisher;
    private final Options options;
    private final Listener listener;
    private final Clock clock;
    private volatile boolean stopped;
    private volatile Thread runner;

    public SegmentProducer(SegmentPublisher publisher, Options options, Listener listener) {
        this(publisher, options, listener, Clock.systemUTC());
    }

    SegmentProducer(SegmentPublisher publisher, Options options, Listener listener, Clock clock) {
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.options = options;
        this.listener = listener == null ? (s, q, t, m) -> { } : listener;
        this.clock = clock;
    }

    /**
     * Publishes until the input ends (or, when looping, until {@link #close()}).
     *
     * @return the number of segments published
     * @throws IOException when the input is missing or unreadable; nothing has been published then
     *     if it fails on open
     * @throws InterruptedException when the calling thread is interrupted
     */
    public long run() throws IOException, InterruptedException {
        runner = Thread.currentThread();
        Segmenter segmenter = new Segmenter(options.segmentSeconds(), options.container());
        boolean live = VideoInput.ofUri(options.input()).isNetwork();
        long startMillis = clock.millis();
        long[] sequence = {0};
        long loopOffsetMicros = 0;
        long backoffMillis = RECONNECT_INITIAL_MILLIS;
        try {
            do {
                long offset = loopOffsetMicros;
                long publishedBefore = sequence[0];
                try {
                    long duration = segmenter.segment(options.input(), segment -> {
                        if (stopped) {
                            throw new InterruptedException("producer stopped");
                        }
                        publish(segment, sequence[0]++, startMillis, offset);
                    });
                    if (duration <= 0 && !live) {
                        throw new IOException("input " + options.input() + " yielded no video frames");
                    }
                    loopOffsetMicros += Math.max(duration, 0);
                } catch (IOException e) {
                    // A camera that never answered is a configuration error; one that was streaming
                    // and dropped is a network hiccup the stream must survive.
                    if (!live || sequence[0] == 0) {
                        throw e;
                    }
                    LOG.warn("stream {}: {}; reconnecting in {} ms", options.streamId(), e.getMessage(), backoffMillis);
                }
                if (live) {
                    backoffMillis = sequence[0] > publishedBefore ? RECONNECT_INITIAL_MILLIS : backoffMillis;
                    if (!stopped) {
                        Thread.sleep(backoffMillis);
                    }
                    backoffMillis = Math.min(2 * backoffMillis, RECONNECT_MAX_MILLIS);
                    // the reconnected stream's timestamps restart: place them on the wall clock
                    loopOffsetMicros = Math.max(loopOffsetMicros, (clock.millis() - startMillis) * 1000);
                }
            } while ((options.loop() || live) && !stopped);
        } catch (InterruptedException | InterruptException e) {
            if (!stopped) {
                throw e;
            }
        } finally {
            runner = null;
            // An interrupt meant to stop us must not leak into the caller's later blocking calls.
            if (stopped) {
                Thread.interrupted();
            }
        }
        return sequence[0];
    }

    private void publish(EncodedSegment segment, long sequence, long startMillis, long loopOffsetMicros)
            throws InterruptedException {
        long segmentStart = startMillis + (loopOffsetMicros + segment.startPtsMicros()) / 1000;
        if (options.realtime()) {
            long due = startMillis + (loopOffsetMicros + segment.endPtsMicros()) / 1000;
            long wait = due - clock.millis();
            if (wait > 0) {
                Thread.sleep(wait);
            }
        }
        RecordMetadata meta = publisher.publish(options.streamId(), sequence, segmentStart,
                segment.container(), segment.data());
        LOG.info("stream {} segment {}: {} frames, {} bytes, start {} -> partition {} offset {}", options.streamId(),
                sequence, segment.frames(), segment.data().length, segmentStart, meta.partition(), meta.offset());
        listener.published(segment, sequence, segmentStart, meta);
    }

    /** Stops a running {@link #run()} at the next segment; it then returns normally. */
    @Override
    public void close() {
        stopped = true;
        Thread t = runner;
        if (t != null && t != Thread.currentThread()) {
            t.interrupt();
        }
    }
}

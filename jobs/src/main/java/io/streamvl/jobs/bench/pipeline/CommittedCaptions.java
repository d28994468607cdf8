package io.streamvl.jobs.bench.pipeline;

import static io.streamvl.jobs.config.StreamvlOptions.TOPIC_CAPTIONS;

import io.streamvl.jobs.client.TopicReader;
import io.streamvl.kafka.Caption;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.apache.flink.configuration.Configuration;

/** Captions as a client sees them (read_committed, at checkpoints), with the wall time each became readable. */
final class CommittedCaptions extends CaptionFollower {
    private final int streams;
    private final CameraFleet.Windows windows;
    /** Read time of each window's captions, by window index, then stream. */
    private final Map<Long, Map<String, Long>> readAt = new HashMap<>();
    private String mode;

    private CommittedCaptions(TopicReader reader, int streams, CameraFleet.Windows windows) {
        super("bench-committed-captions", reader::poll, reader);
        this.streams = streams;
        this.windows = windows;
    }

    static CommittedCaptions start(Configuration conf, int streams, CameraFleet.Windows windows) {
        CommittedCaptions committed = new CommittedCaptions(
                TopicReader.open(conf, List.of(conf.get(TOPIC_CAPTIONS)), true), streams, windows);
        committed.start();
        return committed;
    }

    @Override
    protected synchronized void arrived(Caption caption, long readAtMillis) {
        readAt.computeIfAbsent(windows.indexOf(caption.windowStartMillis), w -> new HashMap<>())
                .putIfAbsent(caption.streamId, readAtMillis);
        mode = caption.mode;
        notifyAll();
    }

    /** The mode the captions were made in, as they say; null before the first. */
    synchronized String mode() {
        return mode;
    }

    /**
     * Waits until every stream's caption of each of {@code windowIndices} is readable; returns their read times by
     * window index.
     *
     * @throws TimeoutException after {@code timeout}
     */
    synchronized Map<Long, Collection<Long>> await(Collection<Long> windowIndices, Duration timeout)
            throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!windowIndices.stream().allMatch(w -> readAt.getOrDefault(w, Map.of()).size() == streams)) {
            checkHealthy();
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new TimeoutException("committed captions still missing after " + timeout.toSeconds() + " s");
            }
            wait(Math.max(1, left / 1_000_000));
        }
        Map<Long, Collection<Long>> out = new HashMap<>();
        for (long w : windowIndices) {
            out.put(w, List.copyOf(readAt.get(w).values()));
        }
        return out;
    }
}

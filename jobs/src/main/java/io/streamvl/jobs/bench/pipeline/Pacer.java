package io.streamvl.jobs.bench.pipeline;

import io.streamvl.kafka.SegmentPublisher;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * Publishes the cameras' windows as fast as the pipeline captions them: the next window goes out once fewer than
 * {@code outstanding} published windows lack a caption for some stream. Enough windows in flight keep every stage
 * busy (a window's work passes through batching waits, the next window's frames and the model in turn); more would
 * only queue in front of the slowest stage and lengthen every caption's wait.
 *
 * <p>Records when each window could close.
 */
final class Pacer {
    private final CameraFleet fleet;
    private final SegmentPublisher publisher;
    private final ProducedCaptions produced;
    private final int outstanding;
    private final Duration stall;
    private final Map<Long, Long> closableAt = new HashMap<>();
    private int progress;
    private long progressAt = System.nanoTime();

    /**
     * @param outstanding windows published but not yet captioned at most; at least 2, since a window closes only
     *     once the next one's segments arrive
     * @param stall how long the pipeline may take to caption a window before the run fails
     */
    Pacer(CameraFleet fleet, SegmentPublisher publisher, ProducedCaptions produced, int outstanding, Duration stall) {
        if (outstanding < 2) {
            throw new IllegalArgumentException("a window closes with the next one: at least 2 must be in flight");
        }
        this.fleet = fleet;
        this.publisher = publisher;
        this.produced = produced;
        this.outstanding = outstanding;
        this.stall = stall;
    }

    /** Publishes until the first {@code windows} windows are captioned for every stream. */
    void publishUntilCaptioned(int windows) throws InterruptedException, TimeoutException {
        while (produced.complete() < windows) {
            publishNext();
        }
    }

    /** Publishes until the wall clock reaches {@code epochMillis}. */
    void publishUntil(long epochMillis) throws InterruptedException, TimeoutException {
        while (System.currentTimeMillis() < epochMillis) {
            publishNext();
        }
    }

    private void publishNext() throws InterruptedException, TimeoutException {
        produced.await(fleet.published() - outstanding + 1, stall);
        int complete = produced.complete();
        if (complete > progress) {
            progress = complete;
            progressAt = System.nanoTime();
        } else if (System.nanoTime() - progressAt > stall.toNanos()) {
            throw new TimeoutException("no window was captioned for " + stall.toSeconds() + " s; " + complete
                    + " of " + fleet.published() + " published windows are captioned for every stream");
        }
        long closable = fleet.publishNextWindow(publisher);
        if (closable >= 0) {
            closableAt.put((long) fleet.published() - 2, closable);
        }
    }

    /** When window {@code index} could first close, epoch ms (see {@link CameraFleet#publishNextWindow}). */
    long closableAt(long index) {
        return closableAt.get(index);
    }
}

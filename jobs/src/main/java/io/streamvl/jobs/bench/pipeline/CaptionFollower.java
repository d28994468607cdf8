package io.streamvl.jobs.bench.pipeline;

import io.streamvl.kafka.Caption;
import io.streamvl.kafka.Json;
import java.time.Duration;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;

/**
 * Reads the captions topic on a thread of its own, so that each caption is stamped with the wall time it became
 * readable, not with when the benchmark got round to looking.
 */
abstract class CaptionFollower implements AutoCloseable {
    private static final Duration POLL = Duration.ofMillis(50);

    private final Thread thread;
    private volatile boolean closed;
    private volatile Exception failure;

    /**
     * @param poll the consumer's poll, called on this follower's thread only
     * @param consumer closed by that thread when the follower closes
     */
    CaptionFollower(String name, Function<Duration, ConsumerRecords<byte[], byte[]>> poll, AutoCloseable consumer) {
        thread = new Thread(() -> {
            try (consumer) {
                while (!closed) {
                    for (ConsumerRecord<byte[], byte[]> r : poll.apply(POLL)) {
                        arrived(Json.read(r.value(), Caption.class), System.currentTimeMillis());
                    }
                }
            } catch (Exception e) {
                failure = e;
            }
        }, name);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Called on the follower's thread for each caption, with the wall time it was read. */
    protected abstract void arrived(Caption caption, long readAtMillis);

    /** @throws IllegalStateException when reading failed */
    protected void checkHealthy() {
        if (failure != null) {
            throw new IllegalStateException(thread.getName() + " failed: " + failure, failure);
        }
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        thread.join(Duration.ofSeconds(10).toMillis());
    }
}

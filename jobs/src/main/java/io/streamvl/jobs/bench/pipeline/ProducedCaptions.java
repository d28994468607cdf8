package io.streamvl.jobs.bench.pipeline;

import static io.streamvl.jobs.config.StreamvlOptions.*;

import io.streamvl.kafka.Caption;
import io.streamvl.kafka.KafkaClientConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Captions as the job writes them, before their transaction commits (read_uncommitted): how far the pipeline has
 * got, seen at once rather than at the next checkpoint. It paces the cameras and times the throughput; what a
 * client sees is {@link CommittedCaptions}' business.
 */
final class ProducedCaptions extends CaptionFollower {
    /** When window {@code k} had its caption for every stream, and the frames captioned in windows 0..k. */
    record Completion(long atMillis, long framesThrough) {}

    private final int streams;
    private final CameraFleet.Windows windows;
    private final Map<Long, Set<String>> captioned = new HashMap<>();
    private final Map<Long, Long> frames = new HashMap<>();
    private final List<Completion> completions = new ArrayList<>();

    private ProducedCaptions(KafkaConsumer<byte[], byte[]> consumer, int streams, CameraFleet.Windows windows) {
        super("bench-produced-captions", consumer::poll, consumer);
        this.streams = streams;
        this.windows = windows;
    }

    static ProducedCaptions start(Configuration conf, int streams, CameraFleet.Windows windows) {
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(KafkaClientConfig.consumer(
                conf.get(BOOTSTRAP_SERVERS), null, conf.get(MAX_MESSAGE_BYTES), false));
        String topic = conf.get(TOPIC_CAPTIONS);
        try {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        } catch (RuntimeException e) {
            consumer.close();
            throw e;
        }
        ProducedCaptions produced = new ProducedCaptions(consumer, streams, windows);
        produced.start();
        return produced;
    }

    @Override
    protected synchronized void arrived(Caption caption, long readAtMillis) {
        long window = windows.indexOf(caption.windowStartMillis);
        // an aborted transaction's records are visible here too; a caption counts once
        if (captioned.computeIfAbsent(window, w -> new HashSet<>()).add(caption.streamId)) {
            frames.merge(window, (long) caption.frames, Long::sum);
        }
        long next = completions.size();
        while (captioned.getOrDefault(next, Set.of()).size() == streams) {
            long before = completions.isEmpty() ? 0 : completions.get(completions.size() - 1).framesThrough();
            completions.add(new Completion(readAtMillis, before + frames.get(next)));
            next++;
        }
        notifyAll();
    }

    /** Windows captioned for every stream, counted from the first. */
    synchronized int complete() {
        checkHealthy();
        return completions.size();
    }

    synchronized Completion completion(int window) {
        return completions.get(window);
    }

    /**
     * Waits until the first {@code count} windows are captioned for every stream, at most {@code timeout}.
     *
     * @return whether they are
     */
    synchronized boolean await(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (completions.size() < count) {
            checkHealthy();
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }
}

package io.streamvl.jobs.testing;

import static io.streamvl.jobs.config.StreamvlOptions.*;

import io.streamvl.jobs.LocalFlink;
import io.streamvl.jobs.StreamvlJob;
import io.streamvl.jobs.config.StreamvlConfig;
import io.streamvl.jobs.demo.ShapesCamera;
import io.streamvl.kafka.Caption;
import io.streamvl.kafka.Json;
import io.streamvl.kafka.StreamvlTopics;
import io.streamvl.kafka.TopicAdmin;
import io.streamvl.kafka.testing.EmbeddedKafkaExtension;
import io.streamvl.kafka.testing.TopicDrain;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Runs the streamvl job as local mode does (RocksDB, checkpoints, exactly-once Kafka sinks) on the test's
 * MiniCluster and embedded broker, with topics of its own per run, and reads what it wrote as a read_committed
 * consumer would.
 */
public final class TestJobs {
    private TestJobs() {}

    /**
     * Topics named {@code <run>.<role>} (segments with 2 partitions), read from the earliest offset, checkpoints
     * every second, the random shapes model; then {@code overrides}.
     */
    public static Configuration config(EmbeddedKafkaExtension kafka, String run, Map<String, String> overrides)
            throws Exception {
        Map<String, String> o = new HashMap<>();
        o.put(BOOTSTRAP_SERVERS.key(), kafka.bootstrapServers());
        for (String role : List.of("segments", "queries", "answers", "events", "captions", "alerts", "dlq")) {
            o.put("streamvl.topic." + role, run + "." + role);
        }
        o.put(STARTING_OFFSETS.key(), "earliest");
        o.put(TRANSACTIONAL_ID_PREFIX.key(), run);
        o.put(CHECKPOINT_INTERVAL.key(), "1 s");
        // a test's segments may all share one of the two partitions: the other must not hold the watermark long
        o.put(SOURCE_IDLENESS.key(), "2 s");
        o.put(MODEL_BUNDLE.key(), TestBundles.randomShapes().toString());
        o.put(MODEL_THREADS.key(), "1");
        o.putAll(overrides);
        Configuration conf = StreamvlConfig.load(null, o);
        TopicAdmin.ensureTopics(kafka.bootstrapServers(), StreamvlTopics.specs(StreamvlConfig.topics(conf), 2,
                conf.get(MAX_MESSAGE_BYTES)));
        return conf;
    }

    /**
     * A shapes-world camera ({@code ShapesCamera}) on the shipped demo model: caption windows of one clip, closed by
     * the camera's next segment (one camera, in order: no out-of-orderness), captions long enough for the longest
     * shapes caption and answers of a few tokens, both a bound on a model that does not stop.
     */
    public static Map<String, String> shapesCamera() {
        return Map.of(MODEL_BUNDLE.key(), TestBundles.shipped().toString(),
                WINDOW.key(), ShapesCamera.CLIP_SECONDS + " s",
                WATERMARK_OUT_OF_ORDERNESS.key(), "0 s",
                CAPTION_MAX_TOKENS.key(), "32",
                QUERY_MAX_TOKENS.key(), "8");
    }

    /**
     * A window start a little (10 min) before now, for a test's first event time: outputs carry their event time as
     * Kafka timestamp, so a time far in the past would have the topics' retention delete them while the test runs.
     */
    public static long recentWindowStart(long windowMillis) {
        return Math.floorDiv(System.currentTimeMillis() - Duration.ofMinutes(10).toMillis(), windowMillis)
                * windowMillis;
    }

    /** The MiniCluster the job tests run on: one TaskManager with a slot per subtask of local mode's parallelism 2. */
    public static MiniClusterExtension miniCluster() {
        return new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());
    }

    /** The windows of {@code stream} that have a caption, by start, in order. */
    public static List<Long> captionedWindows(List<Caption> captions, String stream) {
        return captions.stream().filter(c -> c.streamId.equals(stream)).map(c -> c.windowStartMillis)
                .distinct().sorted().toList();
    }

    public static JobClient start(Configuration conf, Path work, String restoreFrom) throws Exception {
        Configuration flinkConf = LocalFlink.configure(conf, work, restoreFrom);
        return StreamvlJob.start(LocalFlink.environment(flinkConf), flinkConf);
    }

    /** Stops the job with a savepoint under {@code work}; returns its path. */
    public static String stop(JobClient job, Path work) throws Exception {
        return job.stopWithSavepoint(false, work.resolve("savepoints").toUri().toString(),
                SavepointFormatType.CANONICAL).get(2, TimeUnit.MINUTES);
    }

    /** The committed records of {@code topic}, as {@code type}. */
    public static <T> List<T> read(EmbeddedKafkaExtension kafka, String topic, Class<T> type) {
        List<T> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : TopicDrain.drain(kafka.bootstrapServers(), topic, true,
                Duration.ofSeconds(30))) {
            try {
                out.add(Json.read(r.value(), type));
            } catch (IOException e) {
                throw new UncheckedIOException("not a " + type.getSimpleName() + " on " + topic, e);
            }
        }
        return out;
    }

    /**
     * Reads {@code topic} until {@code done} holds for its committed records, at most {@code timeout}; then fails
     * with what the topic holds and {@code diagnosis}.
     */
    public static <T> List<T> await(EmbeddedKafkaExtension kafka, String topic, Class<T> type, Duration timeout,
            Predicate<List<T>> done, Supplier<String> diagnosis) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<T> records = read(kafka, topic, type);
        while (!done.test(records)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("gave up after " + timeout + " waiting on " + topic + "; it holds " + records
                        + "; " + diagnosis.get());
            }
            Thread.sleep(500);
            records = read(kafka, topic, type);
        }
        return records;
    }
}

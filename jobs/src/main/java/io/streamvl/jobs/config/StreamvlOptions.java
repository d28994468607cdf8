package io.streamvl.jobs.config;

import static org.apache.flink.configuration.ConfigOptions.key;

import io.streamvl.kafka.Topics;
import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.description.Description;

/**
 * Every streamvl setting, as a Flink {@link ConfigOption}: set them in the Flink configuration
 * ({@code config.yaml}, {@code -D} dynamic properties) or in a streamvl config file given with
 * {@code --config}. docs/configuration.md lists them all (a test keeps the two in step).
 */
public final class StreamvlOptions {
    private StreamvlOptions() {}

    public static final ConfigOption<String> BOOTSTRAP_SERVERS = key("streamvl.kafka.bootstrap-servers")
            .stringType().defaultValue("127.0.0.1:9092")
            .withDescription("Kafka bootstrap servers the job reads from and writes to.");
    public static final ConfigOption<String> GROUP_ID = key("streamvl.kafka.group-id")
            .stringType().defaultValue("streamvl")
            .withDescription("Consumer group id of the job's Kafka sources (offsets are checkpointed by Flink; the group only shows progress).");
    public static final ConfigOption<String> STARTING_OFFSETS = key("streamvl.kafka.starting-offsets")
            .stringType().defaultValue("committed-or-earliest")
            .withDescription("Where a job without state starts reading the segments topic: earliest, latest or committed-or-earliest.");
    public static final ConfigOption<String> DELIVERY = key("streamvl.kafka.delivery")
            .stringType().defaultValue("exactly-once")
            .withDescription("Delivery guarantee of the output topics: exactly-once (Kafka transactions, committed on checkpoints) or at-least-once.");
    public static final ConfigOption<String> TRANSACTIONAL_ID_PREFIX = key("streamvl.kafka.transactional-id-prefix")
            .stringType().defaultValue("streamvl")
            .withDescription("Prefix of the Kafka transactional ids of the exactly-once sinks; unique per job on a cluster.");
    public static final ConfigOption<Integer> MAX_MESSAGE_BYTES = key("streamvl.kafka.max-message-bytes")
            .intType().defaultValue(16 << 20)
            .withDescription("Largest Kafka record the job reads or writes (segments); match the broker's message.max.bytes and the topic's max.message.bytes.");
    public static final ConfigOption<Integer> SEGMENT_PARTITIONS = key("streamvl.kafka.segment-partitions")
            .intType().defaultValue(4)
            .withDescription("Partitions of the segments topic when streamvl creates it (local mode and demo).");

    public static final ConfigOption<String> TOPIC_SEGMENTS = topic("segments", Topics.DEFAULT_SEGMENTS);
    public static final ConfigOption<String> TOPIC_QUERIES = topic("queries", Topics.DEFAULT_QUERIES);
    public static final ConfigOption<String> TOPIC_ANSWERS = topic("answers", Topics.DEFAULT_ANSWERS);
    public static final ConfigOption<String> TOPIC_EVENTS = topic("events", Topics.DEFAULT_EVENTS);
    public static final ConfigOption<String> TOPIC_CAPTIONS = topic("captions", Topics.DEFAULT_CAPTIONS);
    public static final ConfigOption<String> TOPIC_ALERTS = topic("alerts", Topics.DEFAULT_ALERTS);
    public static final ConfigOption<String> TOPIC_DLQ = topic("dlq", Topics.DEFAULT_DLQ);

    public static final ConfigOption<Double> SAMPLING_FPS = key("streamvl.sampling.fps")
            .doubleType().defaultValue(1.0)
            .withDescription("Frames sampled per second of event time, per stream (ticks anchored at time 0, so sampling does not depend on segment cuts).");
    public static final ConfigOption<Integer> MODEL_INPUT_SIZE = key("streamvl.model-input.size")
            .intType().defaultValue(336)
            .withDescription("Width and height in pixels of the model input (and of the compact frames in the video memory).");
    public static final ConfigOption<String> MODEL_INPUT_RESIZE = key("streamvl.model-input.resize")
            .stringType().defaultValue("squash")
            .withDescription("How frames are resized to the model input: squash (whole frame, bicubic, aspect ignored; TS-LLaVA/CLIP) or nearest (nearest-neighbour; LLaVA-Mini video).");
    public static final ConfigOption<Integer> JPEG_QUALITY = key("streamvl.model-input.jpeg-quality")
            .intType().defaultValue(90)
            .withDescription("JPEG quality (1-100) of the compact frames kept in the video memory.");
    public static final ConfigOption<Integer> MAX_DIMENSION = key("streamvl.ingest.max-dimension")
            .intType().defaultValue(8192)
            .withDescription("Largest width or height in pixels a video may have; larger ones go to the DLQ as absurd-dimensions.");
    public static final ConfigOption<Integer> DECODER_THREADS = key("streamvl.ingest.decoder-threads")
            .intType().defaultValue(1)
            .withDescription("FFmpeg decoder threads per segment decode (0 = FFmpeg's choice). Parallelism usually comes from Flink's slots instead.");
    public static final ConfigOption<Duration> WATERMARK_OUT_OF_ORDERNESS = key("streamvl.ingest.out-of-orderness")
            .durationType().defaultValue(Duration.ofSeconds(5))
            .withDescription("Bounded out-of-orderness of segment start times across streams and partitions: a window closes once segments this much later than its end have been read. One stream's segments arrive in order, so this is not tied to the segment length.");
    public static final ConfigOption<Duration> SOURCE_IDLENESS = key("streamvl.ingest.idleness")
            .durationType().defaultValue(Duration.ofSeconds(30))
            .withDescription("A segments partition without records for this long no longer holds back the watermark.");
    public static final ConfigOption<Duration> WINDOW = key("streamvl.window.size")
            .durationType().defaultValue(Duration.ofSeconds(10))
            .withDescription("Event-time window of the per-stream status records (and, later, captions).");
    public static final ConfigOption<Duration> MEMORY_RETENTION = key("streamvl.memory.retention")
            .durationType().defaultValue(Duration.ofHours(1))
            .withDescription("Video memory keeps frames no older than this behind the stream's newest frame.");
    public static final ConfigOption<Integer> MEMORY_MAX_FRAMES = key("streamvl.memory.max-frames")
            .intType().defaultValue(3600)
            .withDescription("Video memory keeps at most this many frames per stream (oldest evicted first).");
    public static final ConfigOption<Duration> MEMORY_IDLE_TTL = key("streamvl.memory.idle-ttl")
            .durationType().defaultValue(Duration.ofHours(24))
            .withDescription("A stream's video memory is dropped when nothing was written to it for this long (processing time). Must exceed the retention.");

    public static final ConfigOption<String> MODEL_DEVICE = key("streamvl.model.device")
            .stringType().defaultValue("cpu")
            .withDescription("Where models run: cpu, or gpu (the first GPU; needs the build's gpu profile and CUDA 12 + cuDNN 9 libraries).");
    public static final ConfigOption<Integer> MODEL_THREADS = key("streamvl.model.threads")
            .intType().defaultValue(0)
            .withDescription("TensorFlow intra-op threads per model (0 = one per core).");
    public static final ConfigOption<Integer> MODEL_MAX_BATCH = key("streamvl.model.max-batch")
            .intType().defaultValue(4)
            .withDescription("Sequences a language model decodes together at most (its KV cache holds this many rows).");
    public static final ConfigOption<Integer> MODEL_MAX_CONTEXT = key("streamvl.model.max-context")
            .intType().defaultValue(2048)
            .withDescription("Tokens per sequence (prompt plus generated) the KV cache holds; also capped by the model's max_position_embeddings.");
    public static final ConfigOption<Boolean> MODEL_GPU_MEMORY_GROWTH = key("streamvl.model.gpu-memory-growth")
            .booleanType().defaultValue(true)
            .withDescription("Allocate GPU memory as needed instead of claiming all of it at start.");

    public static final ConfigOption<Duration> CHECKPOINT_INTERVAL = key("streamvl.checkpoint.interval")
            .durationType().defaultValue(Duration.ofSeconds(10))
            .withDescription("Checkpoint interval in local mode (a cluster sets execution.checkpointing.interval itself). Exactly-once outputs become visible to read_committed consumers at checkpoints.");
    public static final ConfigOption<String> WORK_DIR = key("streamvl.local.work-dir")
            .stringType().defaultValue("work")
            .withDescription("Local mode's directory for the Kafka log, RocksDB, checkpoints and savepoints.");
    public static final ConfigOption<Integer> LOCAL_KAFKA_PORT = key("streamvl.local.kafka-port")
            .intType().defaultValue(9092)
            .withDescription("Port of the embedded Kafka broker in local mode (on 127.0.0.1); 0 picks a free one.");
    public static final ConfigOption<Integer> PARALLELISM = key("streamvl.parallelism")
            .intType().defaultValue(2)
            .withDescription("Parallelism of the job in local mode (a cluster uses parallelism.default or the deployment's setting).");

    /** Every option, for documentation checks and --help listings. */
    public static final List<ConfigOption<?>> ALL = List.of(
            BOOTSTRAP_SERVERS, GROUP_ID, STARTING_OFFSETS, DELIVERY, TRANSACTIONAL_ID_PREFIX,
            MAX_MESSAGE_BYTES, SEGMENT_PARTITIONS,
            TOPIC_SEGMENTS, TOPIC_QUERIES, TOPIC_ANSWERS, TOPIC_EVENTS, TOPIC_CAPTIONS, TOPIC_ALERTS, TOPIC_DLQ,
            SAMPLING_FPS, MODEL_INPUT_SIZE, MODEL_INPUT_RESIZE, JPEG_QUALITY, MAX_DIMENSION, DECODER_THREADS,
            WATERMARK_OUT_OF_ORDERNESS, SOURCE_IDLENESS, WINDOW,
            MEMORY_RETENTION, MEMORY_MAX_FRAMES, MEMORY_IDLE_TTL,
            MODEL_DEVICE, MODEL_THREADS, MODEL_MAX_BATCH, MODEL_MAX_CONTEXT, MODEL_GPU_MEMORY_GROWTH,
            CHECKPOINT_INTERVAL, WORK_DIR, LOCAL_KAFKA_PORT, PARALLELISM);

    private static ConfigOption<String> topic(String role, String defaultName) {
        return key("streamvl.topic." + role).stringType().defaultValue(defaultName)
                .withDescription(Description.builder().text("Name of the " + role + " topic.").build());
    }
}

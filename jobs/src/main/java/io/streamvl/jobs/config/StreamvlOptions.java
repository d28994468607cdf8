package io.streamvl.jobs.config;

import static org.apache.flink.configuration.ConfigOptions.key;

import io.streamvl.kafka.Topics;
import io.streamvl.operators.caption.AlertFilterFunction;
import io.streamvl.operators.caption.LiveCaptionSettings;
import io.streamvl.operators.clock.StreamClockSettings;
import io.streamvl.operators.model.ModelKind;
import io.streamvl.operators.query.QuerySettings;
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
            .withDescription("Where a job without state starts reading the segments and queries topics: earliest, latest or committed-or-earliest.");
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
            .intType().defaultValue(0)
            .withDescription("Width and height in pixels of the model input and of the compact frames in the video memory. 0: the model bundle's input size (the job reads it from the bundle; `bench decode` uses 336); another value must equal it.");
    public static final ConfigOption<String> MODEL_INPUT_RESIZE = key("streamvl.model-input.resize")
            .stringType().defaultValue("nearest")
            .withDescription("How frames are resized to the model input: nearest (nearest-neighbour; LLaVA-Mini video, what the job's model expects) or squash (whole frame, bicubic, aspect ignored; TS-LLaVA/CLIP).");
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
            .withDescription("Bounded out-of-orderness of a stream's event times: its status and caption windows close on its own clock, its newest frame's event time minus this (other streams play no part). One stream's segments arrive in order, so this is not tied to the segment length. The segments' watermark (segment start times minus this) no longer closes any window.");
    public static final ConfigOption<Duration> SOURCE_IDLENESS = key("streamvl.ingest.idleness")
            .durationType().defaultValue(Duration.ofSeconds(30))
            .withDescription("A segments partition without records for this long no longer holds back the watermark. No window closes on the watermark: status and caption windows follow each stream's own clock.");
    public static final ConfigOption<Duration> WINDOW = key("streamvl.window.size")
            .durationType().defaultValue(Duration.ofSeconds(10))
            .withDescription("Event-time window of the per-stream status records, the captions and the standing questions' answers; windows start at multiples of it since the epoch.");
    public static final ConfigOption<Duration> MEMORY_RETENTION = key("streamvl.memory.retention")
            .durationType().defaultValue(Duration.ofHours(1))
            .withDescription("Video memory keeps frames no older than this behind the stream's newest frame.");
    public static final ConfigOption<Integer> MEMORY_MAX_FRAMES = key("streamvl.memory.max-frames")
            .intType().defaultValue(3600)
            .withDescription("Video memory keeps at most this many frames per stream (oldest evicted first).");
    public static final ConfigOption<Duration> MEMORY_IDLE_TTL = key("streamvl.memory.idle-ttl")
            .durationType().defaultValue(Duration.ofHours(24))
            .withDescription("A stream's video memory is dropped when nothing was written to it for this long (processing time). Must exceed the retention.");

    public static final ConfigOption<String> CAPTION_MODE = key("streamvl.caption.mode")
            .stringType().defaultValue(ModelKind.LLAVA_MINI.mode())
            .withDescription("How live captions and standing questions see a window: llava-mini (each frame fused into running sums as it arrives, by the frame encoder's tokens) or ts-llava (the window's JPEGs kept, then TS-LLaVA's sampled tokens and thumbnail over the bundle's image path when it closes; no frame encoder runs).");
    public static final ConfigOption<Duration> CAPTION_LATENESS = key("streamvl.caption.allowed-lateness")
            .durationType().defaultValue(Duration.ZERO)
            .withDescription("How long after a window's end (event time) its late frames still count; the window's status record, caption and alerts wait for it. Later frames go to the DLQ as late and are in no status record.");
    public static final ConfigOption<String> CAPTION_PROMPT = key("streamvl.caption.prompt")
            .stringType().defaultValue(LiveCaptionSettings.DEFAULT_PROMPT)
            .withDescription("The prompt every window is captioned with.");
    public static final ConfigOption<Integer> CAPTION_MAX_TOKENS = key("streamvl.caption.max-tokens")
            .intType().defaultValue(LiveCaptionSettings.DEFAULT_MAX_NEW_TOKENS)
            .withDescription("Tokens a caption, or a standing question's answer for a window, may have at most.");
    public static final ConfigOption<Duration> CAPTION_IDLE_TIMEOUT = key("streamvl.caption.idle-timeout")
            .durationType().defaultValue(StreamClockSettings.DEFAULT_IDLE_TIMEOUT)
            .withDescription("A stream that sends no frame for this long (processing time, counted while the job runs) counts as stopped: its open status and caption windows are reported and captioned, and frames of those windows that still come go to the DLQ as late (and are in no status record). Make it longer than any pause after which a camera resumes within the same window.");
    public static final ConfigOption<Duration> CAPTION_STATE_TTL = key("streamvl.caption.state-ttl")
            .durationType().defaultValue(LiveCaptionSettings.DEFAULT_STATE_TTL)
            .withDescription("A stream's caption clock and a window's running sums are dropped after this long (processing time) without a write, as a guard against streams that vanish. Must exceed window plus lateness plus out-of-orderness, and the idle timeout.");
    public static final ConfigOption<Duration> ALERT_STATE_TTL = key("streamvl.alert.state-ttl")
            .durationType().defaultValue(AlertFilterFunction.DEFAULT_STATE_TTL)
            .withDescription("How long a standing question's last answer per stream is remembered without a new one; after it, the next answer alerts as a first one.");
    public static final ConfigOption<Integer> ENCODE_MAX_BATCH = key("streamvl.encode.max-batch")
            .intType().defaultValue(8)
            .withDescription("Sampled frames (of all streams) the vision encoder runs together at most.");
    public static final ConfigOption<Duration> ENCODE_MAX_WAIT = key("streamvl.encode.max-wait")
            .durationType().defaultValue(Duration.ofMillis(100))
            .withDescription("How long a frame waits for others to fill its encoder batch (processing time).");
    public static final ConfigOption<Integer> GENERATE_MAX_BATCH = key("streamvl.generate.max-batch")
            .intType().defaultValue(8)
            .withDescription("Captions, alerts and answers generated in one batch at most (decoded streamvl.model.max-batch at a time).");
    public static final ConfigOption<Duration> GENERATE_MAX_WAIT = key("streamvl.generate.max-wait")
            .durationType().defaultValue(Duration.ofMillis(100))
            .withDescription("How long a generation waits for others to fill its batch (processing time).");

    public static final ConfigOption<Integer> QUERY_MAX_QUESTION_CHARS = key("streamvl.query.max-question-chars")
            .intType().defaultValue(QuerySettings.defaults().maxQuestionChars())
            .withDescription("Longest question a query may ask, in characters; longer ones are answered with question-too-long.");
    public static final ConfigOption<Integer> QUERY_MAX_TOKENS = key("streamvl.query.max-tokens")
            .intType().defaultValue(QuerySettings.defaults().defaultMaxTokens())
            .withDescription("Tokens an answer may have when the query does not say (its maxTokens).");
    public static final ConfigOption<Integer> QUERY_MAX_TOKENS_LIMIT = key("streamvl.query.max-tokens-limit")
            .intType().defaultValue(QuerySettings.defaults().maxTokensLimit())
            .withDescription("Largest maxTokens a query may ask for.");
    public static final ConfigOption<Integer> QUERY_MAX_FRAMES = key("streamvl.query.max-frames")
            .intType().defaultValue(QuerySettings.defaults().maxFramesPerQuery())
            .withDescription("Frames one answer is based on at most; longer ranges and videos are sampled evenly.");
    public static final ConfigOption<Double> QUERY_FILE_FPS = key("streamvl.query.file-sampling-fps")
            .doubleType().defaultValue(QuerySettings.defaults().fileSamplingFps())
            .withDescription("Sampling rate of video file and URL queries (lowered for long videos so that about streamvl.query.max-frames frames span them).");
    public static final ConfigOption<Integer> QUERY_DECODE_FRAMES_PER_TURN = key("streamvl.query.decode-frames-per-turn")
            .intType().defaultValue(QuerySettings.defaults().decodeFramesPerTurn())
            .withDescription("Frames a file query decodes before the task handles its other input and checkpoints again.");
    public static final ConfigOption<Duration> QUERY_MAX_FILE_MEDIA = key("streamvl.query.max-file-media")
            .durationType().defaultValue(QuerySettings.defaults().maxFileMedia())
            .withDescription("Media a file or URL query decodes at most (a URL may be an endless live stream); the answer's range says what was covered.");
    public static final ConfigOption<String> QUERY_VIDEO_ROOT = key("streamvl.query.video-root")
            .stringType().noDefaultValue()
            .withDescription("Directory local video files of queries must lie in (links and .. resolved); unset: any absolute path or file: URI. http(s) URLs are always accepted.");

    public static final ConfigOption<String> MODEL_BUNDLE = key("streamvl.model.bundle")
            .stringType().defaultValue("bundles/streamvl-shapes")
            .withDescription("The llava-mini model bundle the job runs. A relative path is resolved against the installation root (system property streamvl.home, else environment variable STREAMVL_HOME, else the working directory): ./streamvl sets it to the repository, the image to /opt/streamvl. The default is the shapes-world demo model that ships with streamvl.");
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
            CAPTION_MODE, CAPTION_LATENESS, CAPTION_PROMPT, CAPTION_MAX_TOKENS, CAPTION_IDLE_TIMEOUT, CAPTION_STATE_TTL, ALERT_STATE_TTL,
            ENCODE_MAX_BATCH, ENCODE_MAX_WAIT, GENERATE_MAX_BATCH, GENERATE_MAX_WAIT,
            QUERY_MAX_QUESTION_CHARS, QUERY_MAX_TOKENS, QUERY_MAX_TOKENS_LIMIT, QUERY_MAX_FRAMES, QUERY_FILE_FPS,
            QUERY_DECODE_FRAMES_PER_TURN, QUERY_MAX_FILE_MEDIA, QUERY_VIDEO_ROOT,
            MODEL_BUNDLE, MODEL_DEVICE, MODEL_THREADS, MODEL_MAX_BATCH, MODEL_MAX_CONTEXT, MODEL_GPU_MEMORY_GROWTH,
            CHECKPOINT_INTERVAL, WORK_DIR, LOCAL_KAFKA_PORT, PARALLELISM);

    private static ConfigOption<String> topic(String role, String defaultName) {
        return key("streamvl.topic." + role).stringType().defaultValue(defaultName)
                .withDescription(Description.builder().text("Name of the " + role + " topic.").build());
    }
}

package io.streamvl.jobs.config;

import static io.streamvl.jobs.config.StreamvlOptions.*;

import io.streamvl.ingest.DecoderOptions;
import io.streamvl.ingest.ModelInputSpec;
import io.streamvl.ingest.ResizeMode;
import io.streamvl.kafka.KafkaClientConfig;
import io.streamvl.kafka.Topics;
import io.streamvl.operators.caption.LiveCaptionSettings;
import io.streamvl.operators.clock.StreamClockSettings;
import io.streamvl.operators.ingest.IngestSettings;
import io.streamvl.operators.model.ModelKind;
import io.streamvl.operators.model.ModelSettings;
import io.streamvl.operators.query.QuerySettings;
import io.streamvl.operators.query.VideoUriPolicy;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/**
 * Builds the job's {@link Configuration} from, in increasing precedence: option defaults, a config
 * file (flat {@code key: value} lines, as in Flink's config.yaml), and {@code -Dkey=value}
 * overrides; and turns it into the typed settings the operators take.
 */
public final class StreamvlConfig {
    private StreamvlConfig() {}

    /** Keys under this prefix are handed to every Kafka client of the job as they are (security, timeouts). */
    public static final String KAFKA_CLIENT_PREFIX = "streamvl.kafka.properties.";

    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}");

    public static Configuration load(Path file, Map<String, String> overrides) throws IOException {
        return load(file, overrides, System.getenv());
    }

    /**
     * As {@link #load(Path, Map)}, with {@code ${env:NAME}} in any value replaced by that environment
     * variable, so secrets (Kafka SASL passwords) can come from a Kubernetes Secret rather than a file.
     */
    static Configuration load(Path file, Map<String, String> overrides, Map<String, String> env) throws IOException {
        Map<String, String> values = new HashMap<>();
        if (file != null) {
            if (!Files.isReadable(file)) {
                throw new IOException("config file " + file + " does not exist or is not readable");
            }
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(file)) {
                p.load(r);
            }
            p.stringPropertyNames().forEach(k -> values.put(k.trim(), unquote(p.getProperty(k).trim())));
        }
        values.putAll(overrides);
        values.replaceAll((key, value) -> expandEnv(key, value, env));
        Configuration conf = Configuration.fromMap(values);
        validate(conf);
        return conf;
    }

    private static String expandEnv(String key, String value, Map<String, String> env) {
        Matcher m = ENV_REFERENCE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = env.get(m.group(1));
            if (v == null) {
                throw new IllegalArgumentException(key + " refers to environment variable " + m.group(1)
                        + ", which is not set");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(v));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The {@link #KAFKA_CLIENT_PREFIX} keys, prefix removed. */
    public static Properties kafkaClientProperties(Configuration conf) {
        Properties p = new Properties();
        conf.toMap().forEach((key, value) -> {
            if (key.startsWith(KAFKA_CLIENT_PREFIX) && key.length() > KAFKA_CLIENT_PREFIX.length()) {
                p.setProperty(key.substring(KAFKA_CLIENT_PREFIX.length()), value);
            }
        });
        return p;
    }

    private static String unquote(String v) {
        if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
            return v.substring(1, v.length() - 1);
        }
        return v;
    }

    /** Reads every option once so a malformed value fails at start-up, naming its key. */
    public static void validate(Configuration conf) {
        for (var option : ALL) {
            try {
                conf.get(option);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("invalid value for " + option.key() + ": " + e.getMessage(), e);
            }
        }
        deliveryGuarantee(conf);
        resizeMode(conf);
        ingestSettings(conf, modelInput(conf, REFERENCE_INPUT_SIZE));
        liveCaptionSettings(conf, modelSettings(conf));
        captionMode(conf);
        querySettings(conf);
        batching(conf, ENCODE_MAX_BATCH, ENCODE_MAX_WAIT);
        batching(conf, GENERATE_MAX_BATCH, GENERATE_MAX_WAIT);
        List<String> starts = List.of("earliest", "latest", "committed-or-earliest");
        if (!starts.contains(conf.get(STARTING_OFFSETS))) {
            throw new IllegalArgumentException(STARTING_OFFSETS.key() + " must be one of " + starts);
        }
    }

    public static Topics topics(Configuration conf) {
        return new Topics(conf.get(TOPIC_SEGMENTS), conf.get(TOPIC_QUERIES), conf.get(TOPIC_ANSWERS),
                conf.get(TOPIC_EVENTS), conf.get(TOPIC_CAPTIONS), conf.get(TOPIC_ALERTS), conf.get(TOPIC_DLQ));
    }

    /**
     * The frames' size when no model says otherwise ({@code bench decode}): CLIP ViT-L/14-336's, the input of
     * most LLaVA-style models.
     */
    public static final int REFERENCE_INPUT_SIZE = ModelInputSpec.clipDefaults().width();

    /** The model input, {@code defaultSize} square unless streamvl.model-input.size sets a size. */
    public static ModelInputSpec modelInput(Configuration conf, int defaultSize) {
        int size = conf.get(MODEL_INPUT_SIZE) == 0 ? defaultSize : conf.get(MODEL_INPUT_SIZE);
        if (size < 16 || size > 4096) {
            throw new IllegalArgumentException(MODEL_INPUT_SIZE.key() + " must be within 16..4096, got " + size);
        }
        int quality = conf.get(JPEG_QUALITY);
        if (quality < 1 || quality > 100) {
            throw new IllegalArgumentException(JPEG_QUALITY.key() + " must be within 1..100, got " + quality);
        }
        return ModelInputSpec.clipDefaults().withSize(size, size).withResizeMode(resizeMode(conf))
                .withJpegQuality(quality);
    }

    public static ResizeMode resizeMode(Configuration conf) {
        String v = conf.get(MODEL_INPUT_RESIZE).trim().toUpperCase(Locale.ROOT);
        try {
            return ResizeMode.valueOf(v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(MODEL_INPUT_RESIZE.key() + " must be squash or nearest, got "
                    + conf.get(MODEL_INPUT_RESIZE));
        }
    }

    public static DecoderOptions decoderOptions(Configuration conf) {
        return DecoderOptions.defaults().withMaxDimension(conf.get(MAX_DIMENSION)).withThreads(conf.get(DECODER_THREADS));
    }

    public static IngestSettings ingestSettings(Configuration conf, ModelInputSpec modelInput) {
        return new IngestSettings(conf.get(SAMPLING_FPS), modelInput, decoderOptions(conf), streamClock(conf),
                KafkaClientConfig.maxSegmentBytes(conf.get(MAX_MESSAGE_BYTES)), conf.get(MEMORY_RETENTION), conf.get(MEMORY_MAX_FRAMES),
                conf.get(MEMORY_IDLE_TTL));
    }

    /** The job's model: the bundle of streamvl.model.bundle (not checked to exist here), run as streamvl.model.* say. */
    public static ModelSettings modelSettings(Configuration conf) {
        var d = modelOptions(conf);
        return new ModelSettings(ModelBundlePath.of(conf).toString(), d.device(), d.intraOpThreads(), d.interOpThreads(),
                d.maxBatch(), d.maxCacheLength(), d.gpuMemoryGrowth());
    }

    /** When a stream's caption and status windows close on its own clock. */
    public static StreamClockSettings streamClock(Configuration conf) {
        try {
            return new StreamClockSettings(conf.get(WINDOW), conf.get(CAPTION_LATENESS),
                    conf.get(WATERMARK_OUT_OF_ORDERNESS), conf.get(CAPTION_IDLE_TIMEOUT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid " + WINDOW.key() + ", " + CAPTION_LATENESS.key() + ", "
                    + WATERMARK_OUT_OF_ORDERNESS.key() + " or " + CAPTION_IDLE_TIMEOUT.key() + ": " + e.getMessage(), e);
        }
    }

    public static LiveCaptionSettings liveCaptionSettings(Configuration conf, ModelSettings model) {
        try {
            return new LiveCaptionSettings(model, streamClock(conf), conf.get(CAPTION_PROMPT),
                    conf.get(CAPTION_MAX_TOKENS), conf.get(CAPTION_STATE_TTL));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid streamvl.caption.* settings (with streamvl.window.size and "
                    + "streamvl.ingest.out-of-orderness): " + e.getMessage(), e);
        }
    }

    /** The caption mode of streamvl.caption.mode. */
    public static ModelKind<?> captionMode(Configuration conf) {
        try {
            return ModelKind.ofMode(conf.get(CAPTION_MODE).trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(CAPTION_MODE.key() + ": " + e.getMessage(), e);
        }
    }

    public static QuerySettings querySettings(Configuration conf) {
        VideoUriPolicy uris = conf.getOptional(QUERY_VIDEO_ROOT).filter(root -> !root.isBlank())
                .map(root -> VideoUriPolicy.localFilesUnder(Path.of(root))).orElse(VideoUriPolicy.anyLocalPath());
        try {
            return QuerySettings.defaults().withMaxQuestionChars(conf.get(QUERY_MAX_QUESTION_CHARS))
                    .withMaxTokens(conf.get(QUERY_MAX_TOKENS), conf.get(QUERY_MAX_TOKENS_LIMIT))
                    .withMaxFramesPerQuery(conf.get(QUERY_MAX_FRAMES)).withFileSamplingFps(conf.get(QUERY_FILE_FPS))
                    .withDecodeFramesPerTurn(conf.get(QUERY_DECODE_FRAMES_PER_TURN))
                    .withMaxFileMedia(conf.get(QUERY_MAX_FILE_MEDIA)).withUriPolicy(uris);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid streamvl.query.* settings: " + e.getMessage(), e);
        }
    }

    /** A model operator's batch bounds from its max-batch and max-wait keys. */
    public static Batching batching(Configuration conf, ConfigOption<Integer> maxBatch, ConfigOption<Duration> maxWait) {
        if (conf.get(maxBatch) < 1 || conf.get(maxWait).isNegative()) {
            throw new IllegalArgumentException(maxBatch.key() + " must be at least 1 and " + maxWait.key()
                    + " not negative, got " + conf.get(maxBatch) + " and " + conf.get(maxWait));
        }
        return new Batching(conf.get(maxBatch), conf.get(maxWait));
    }

    /** How language models run, from streamvl.model.*. */
    public static io.streamvl.models.llama.DecoderOptions modelOptions(Configuration conf) {
        try {
            return new io.streamvl.models.llama.DecoderOptions(conf.get(MODEL_DEVICE).trim().toLowerCase(Locale.ROOT),
                    conf.get(MODEL_THREADS), 0, conf.get(MODEL_MAX_BATCH), conf.get(MODEL_MAX_CONTEXT),
                    conf.get(MODEL_GPU_MEMORY_GROWTH));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid streamvl.model.* settings: " + e.getMessage(), e);
        }
    }

    /** How vision towers run, from the same streamvl.model.* keys (batch = frames per run). */
    public static io.streamvl.models.vision.VisionOptions visionOptions(Configuration conf) {
        var m = modelOptions(conf);
        return new io.streamvl.models.vision.VisionOptions(m.device(), m.intraOpThreads(), m.interOpThreads(),
                io.streamvl.models.vision.VisionOptions.defaults().maxBatch(), m.gpuMemoryGrowth());
    }

    public static org.apache.flink.connector.base.DeliveryGuarantee deliveryGuarantee(Configuration conf) {
        switch (conf.get(DELIVERY).trim().toLowerCase(Locale.ROOT)) {
            case "exactly-once":
                return org.apache.flink.connector.base.DeliveryGuarantee.EXACTLY_ONCE;
            case "at-least-once":
                return org.apache.flink.connector.base.DeliveryGuarantee.AT_LEAST_ONCE;
            default:
                throw new IllegalArgumentException(DELIVERY.key() + " must be exactly-once or at-least-once, got "
                        + conf.get(DELIVERY));
        }
    }
}

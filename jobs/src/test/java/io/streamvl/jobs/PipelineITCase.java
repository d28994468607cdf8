package io.streamvl.jobs;

import static io.streamvl.jobs.config.StreamvlOptions.*;
import static io.streamvl.jobs.testing.TestJobs.captionedWindows;
import static io.streamvl.jobs.testing.TestQueries.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamvl.ingest.FrameExtractor;
import io.streamvl.ingest.FrameListener;
import io.streamvl.ingest.FrameSampler;
import io.streamvl.ingest.ModelInputConverter;
import io.streamvl.ingest.ModelInputSpec;
import io.streamvl.ingest.RealMedia;
import io.streamvl.ingest.ResizeMode;
import io.streamvl.ingest.SampledFrame;
import io.streamvl.ingest.VideoInput;
import io.streamvl.ingest.segment.EncodedSegment;
import io.streamvl.ingest.segment.SegmentContainer;
import io.streamvl.ingest.segment.Segmenter;
import io.streamvl.jobs.cli.StreamvlCliTest;
import io.streamvl.jobs.client.QueryProducer;
import io.streamvl.jobs.config.StreamvlConfig;
import io.streamvl.jobs.demo.ShapesCamera;
import io.streamvl.jobs.demo.ShapesCamera.Clip;
import io.streamvl.jobs.testing.FlinkRestMetrics;
import io.streamvl.jobs.testing.OnceForAllTests;
import io.streamvl.jobs.testing.TestBundles;
import io.streamvl.jobs.testing.TestJobs;
import io.streamvl.kafka.Alert;
import io.streamvl.kafka.Answer;
import io.streamvl.kafka.AnswerStatus;
import io.streamvl.kafka.Caption;
import io.streamvl.kafka.DlqReason;
import io.streamvl.kafka.DlqRecord;
import io.streamvl.kafka.IngestStatus;
import io.streamvl.kafka.Json;
import io.streamvl.kafka.KafkaClientConfig;
import io.streamvl.kafka.Query;
import io.streamvl.kafka.QueryProgress;
import io.streamvl.kafka.SegmentHeaders;
import io.streamvl.kafka.SegmentPublisher;
import io.streamvl.kafka.testing.EmbeddedKafkaExtension;
import io.streamvl.models.llama.GenerationConfig;
import io.streamvl.models.llavamini.EncodedFrame;
import io.streamvl.models.llavamini.LlavaMiniModel;
import io.streamvl.models.vision.VisionOptions;
import io.streamvl.operators.caption.TriggerWord;
import io.streamvl.operators.query.QueryParser;
import io.streamvl.shapes.CaptionWriter;
import io.streamvl.shapes.Scene;
import io.streamvl.shapes.ShapesVideo;
import io.streamvl.shapes.ShapesVideoWriter;
import io.streamvl.shapes.ShapesWorld;
import io.streamvl.shapes.train.ShapesFrames;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole pipeline on the embedded broker and a MiniCluster (RocksDB, exactly-once sinks, checkpoints every
 * second), in one scenario that the tests below examine from different sides:
 * <ol>
 *   <li>a standing question is registered on the shapes camera, and a flood of malformed queries arrives;</li>
 *   <li>the shapes camera publishes clips 0–2 (one per 4 s caption window), with corrupt and malformed segments
 *       between clips 0 and 1, and pauses in the middle of clip 2 for longer than the source idleness (its caption
 *       window waits for it: none of its frames is late);</li>
 *   <li>a history question about clip 1, questions whose ranges the memory cannot serve, and a question about a
 *       video file are answered;</li>
 *   <li>the camera resumes; a last history question is sent and the job is stopped with a savepoint at once;</li>
 *   <li>the job is restored; clips 3–4 and real footage (vtest.avi) are published, and questions about both are
 *       answered;</li>
 *   <li>every stream ends with a segment far ahead, so that every window before it closes.</li>
 * </ol>
 */
class PipelineITCase {
    private static final Logger LOG = LoggerFactory.getLogger(PipelineITCase.class);
    /** The camera's first frame. */
    static final long T0 = TestJobs.recentWindowStart(ShapesCamera.CLIP_MILLIS);
    static final String CAM = "cam-shapes";
    static final String VTEST = "cam-vtest";
    static final long SEED = 21;
    static final int CLIPS = 5;
    /** The real footage starts after the camera's last clip and one empty window. */
    static final long VTEST_T0 = T0 + (CLIPS + 1) * ShapesCamera.CLIP_MILLIS;
    static final int MAX_QUESTION_CHARS = 200;
    /** The first 24 s of the real footage: six windows. */
    static final int VTEST_SEGMENTS = 12;
    static final Duration IDLENESS = Duration.ofSeconds(2);
    /** Longer than the camera's pause can take on a slow machine, which is not a stop. */
    static final Duration CAPTION_IDLE = Duration.ofMinutes(10);
    /** How long any one output may take to appear. */
    static final Duration AWAIT = Duration.ofMinutes(2);

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @RegisterExtension
    static final MiniClusterExtension FLINK = TestJobs.miniCluster();

    @TempDir
    static Path work;

    static Configuration conf;
    static List<Clip> clips = new ArrayList<>();
    static ShapesVideo fileVideo;
    static Path fileVideoPath;
    static long vtestEnd;
    static long end;
    /** Every answer the queries sent must get, as "query-id status"; a cancelled standing question's id twice. */
    static final List<String> expectedAnswers = new ArrayList<>();
    static final Map<DlqReason, Integer> expectedDlq = new HashMap<>();
    static Map<String, Double> metrics;
    static StreamvlCliTest.Run cliAnswer;
    static StreamvlCliTest.Run cliStanding;
    static StreamvlCliTest.Run cliCancel;
    /** The job of the scenario's current phase. */
    static JobClient running;
    static FlinkRestMetrics rest;

    static List<Caption> captions;
    static List<Alert> alerts;
    static List<Answer> answers;
    static List<QueryProgress> progress;
    static List<IngestStatus> statuses;
    static List<DlqRecord> dlq;
    /** What the shipped model says offline about each camera clip's frames, by clip index. */
    static List<Offline> offline;
    /** What the shipped model says offline about the file query's video, sampled as the file query samples it. */
    static String offlineFileAnswer;

    private static final OnceForAllTests SCENARIO = new OnceForAllTests();

    @BeforeEach
    void scenario(@InjectClusterClient ClusterClient<?> client) throws Exception {
        SCENARIO.run(() -> runScenario(client.getWebInterfaceURL()));
    }

    static void runScenario(String restUrl) throws Exception {
        rest = new FlinkRestMetrics(restUrl);
        // one camera per partition at most, published in order: a window closes with the next segment
        Map<String, String> settings = new HashMap<>(TestJobs.shapesCamera());
        settings.putAll(Map.of(
                SOURCE_IDLENESS.key(), IDLENESS.toMillis() + " ms",
                CAPTION_IDLE_TIMEOUT.key(), CAPTION_IDLE.toMinutes() + " min",
                QUERY_DECODE_FRAMES_PER_TURN.key(), "10",
                QUERY_MAX_QUESTION_CHARS.key(), String.valueOf(MAX_QUESTION_CHARS)));
        conf = TestJobs.config(KAFKA, "pipeline", settings);
        ShapesCamera camera = new ShapesCamera(work.resolve("clips"), SEED, CAM, T0);
        for (int i = 0; i < CLIPS; i++) {
            clips.add(camera.clip(i));
        }
        List<EncodedSegment> vtest = new Segmenter(2.0, SegmentContainer.MPEGTS).segmentAll(RealMedia.path("vtest.avi"))
                .subList(0, VTEST_SEGMENTS);
        vtestEnd = VTEST_T0 + vtest.get(vtest.size() - 1).endPtsMicros() / 1000;
        end = Math.floorDiv(vtestEnd, ShapesCamera.CLIP_MILLIS) * ShapesCamera.CLIP_MILLIS + ShapesCamera.CLIP_MILLIS;
        fileVideo = ShapesWorld.video(SEED, 100);
        fileVideoPath = Files.createDirectories(work.resolve("videos")).resolve(fileVideo.name());
        ShapesVideoWriter.write(fileVideo.scene(), fileVideoPath);

        try (QueryProducer queries = new QueryProducer(conf);
                SegmentPublisher segments = new SegmentPublisher(KAFKA.bootstrapServers(), conf.get(TOPIC_SEGMENTS),
                        conf.get(MAX_MESSAGE_BYTES));
                KafkaProducer<byte[], byte[]> raw = new KafkaProducer<>(KafkaClientConfig.producer(
                        KAFKA.bootstrapServers(), conf.get(MAX_MESSAGE_BYTES)))) {
            send(queries, standing("standing-1", CAM, standingQuestion(), "yes"), AnswerStatus.OK);
            sendMalformedQueries(queries, raw);

            running = TestJobs.start(conf, work, null);
            // the registration has reached the caption operator once its answer is committed
            awaitAnswers(a -> a.containsKey("standing-1"));

            long seq = camera.publish(segments, clips.get(0), 0, false);
            seq = publishBadSegments(segments, raw, seq, clips.get(0).endMillis());
            seq = camera.publish(segments, clips.get(1), seq, false);
            // the camera pauses in the middle of clip 2 for longer than the source idleness
            seq = camera.publish(segments, clips.get(2), 0, 1, seq, false);
            awaitCaptions(c -> captionedWindows(c, CAM).size() >= 2);

            send(queries, history("history-1", CAM, clips.get(1).startMillis(), clips.get(1).endMillis(),
                    countQuestion()), AnswerStatus.OK);
            send(queries, history("beyond-retention", CAM, T0 - 20_000, T0 - 10_000, "q?"),
                    AnswerStatus.BEYOND_RETENTION);
            send(queries, history("empty-range", CAM, end + 100_000, end + 200_000, "q?"), AnswerStatus.EMPTY_RANGE);
            send(queries, video("file-1", fileVideoPath.toString(), fileVideo.questions().get(0).question()),
                    AnswerStatus.OK);
            awaitAnswers(a -> a.keySet().containsAll(List.of("history-1", "file-1", "empty-range")));
            Thread.sleep(IDLENESS.toMillis());
            seq = camera.publish(segments, clips.get(2), 1, clips.get(2).segments().size(), seq, false);

            send(queries, history("history-inflight", CAM, clips.get(0).startMillis(), clips.get(0).endMillis(),
                    countQuestion()), AnswerStatus.OK);
            String savepoint = TestJobs.stop(running, work);
            running = null;

            running = TestJobs.start(conf, work, savepoint);
            for (int i = 3; i < CLIPS; i++) {
                seq = camera.publish(segments, clips.get(i), seq, false);
            }
            long vtestSeq = 0;
            for (EncodedSegment s : vtest) {
                segments.publish(VTEST, vtestSeq++, VTEST_T0 + s.startPtsMicros() / 1000, s.container(), s.data());
            }
            // the streams' last segments, at one time past everything: each closes its stream's caption and status
            // windows before it
            Clip last = camera.clip(Math.toIntExact((end - T0) / ShapesCamera.CLIP_MILLIS));
            camera.publish(segments, last, 0, 1, seq, false);
            segments.publish(VTEST, vtestSeq, end, vtest.get(0).container(), vtest.get(0).data());

            awaitCaptions(c -> captionedWindows(c, CAM).size() == CLIPS && captionedWindows(c, VTEST).size() >= 3);
            send(queries, history("history-2", CAM, clips.get(3).startMillis(), clips.get(3).endMillis(),
                    countQuestion()), AnswerStatus.OK);
            send(queries, history("history-vtest", VTEST, VTEST_T0 + 8000, VTEST_T0 + 16_000, "How many people?"),
                    AnswerStatus.OK);
            askThroughTheCli();
            awaitAnswers(a -> a.keySet().containsAll(expectedIds()));
            captions = awaitCaptions(c -> captionedWindows(c, VTEST).size() == vtestWindows());
            metrics = new HashMap<>();
            for (String operator : List.of("frame-encode", "live-caption", "generate", "video-memory")) {
                metrics.putAll(rest.awaitOperatorMetrics(running.getJobID(), operator, operator + ".numRecordsIn"));
            }
        } finally {
            if (running != null) {
                running.cancel().get(1, TimeUnit.MINUTES);
                running = null;
            }
        }
        alerts = TestJobs.read(KAFKA, conf.get(TOPIC_ALERTS), Alert.class);
        answers = TestJobs.read(KAFKA, conf.get(TOPIC_ANSWERS), Answer.class);
        List<QueryProgress> events = TestJobs.read(KAFKA, conf.get(TOPIC_EVENTS), QueryProgress.class);
        progress = events.stream().filter(e -> QueryProgress.TYPE.equals(e.type)).collect(Collectors.toList());
        statuses = TestJobs.read(KAFKA, conf.get(TOPIC_EVENTS), IngestStatus.class).stream()
                .filter(s -> "ingest-status".equals(s.type)).collect(Collectors.toList());
        dlq = TestJobs.read(KAFKA, conf.get(TOPIC_DLQ), DlqRecord.class);
        offline = Offline.of(clips);
    }

    /**
     * The shipped model run directly on one clip's frames, as the job samples them: the clip's segments decoded
     * with the job's decoder, sampler and model input, one after another on event time; the frames converted to
     * tensors as the frame encoder does; then the caption prompt, the standing question and the count question
     * answered greedily with the job's token limits.
     *
     * @param frames the clip's sampled frames as one normalised NHWC batch
     * @param sampledAt the frames' event times
     */
    record Offline(float[] frames, List<Long> sampledAt, String caption, String standingAnswer, String countAnswer) {
        static List<Offline> of(List<Clip> clips) throws Exception {
            List<Offline> out = new ArrayList<>();
            // the threads of the job's model (streamvl.model.threads 1)
            try (LlavaMiniModel model = LlavaMiniModel.open(TestBundles.shipped(),
                    VisionOptions.defaults().withThreads(1, 1),
                    io.streamvl.models.llama.DecoderOptions.defaults().withThreads(1, 1));
                    FrameExtractor extractor = new FrameExtractor(StreamvlConfig.decoderOptions(conf),
                            StreamvlConfig.modelInput(conf, model.inputSize()))) {
                ModelInputSpec tensor = ModelInputSpec.clipDefaults().withSize(model.inputSize(), model.inputSize())
                        .withResizeMode(ResizeMode.NEAREST);
                // one camera: its sampler goes on from clip to clip
                FrameSampler sampler = new FrameSampler(conf.get(SAMPLING_FPS));
                for (Clip clip : clips) {
                    List<SampledFrame> sampled = new ArrayList<>();
                    for (EncodedSegment s : clip.segments()) {
                        extractor.extract(VideoInput.ofBytes(s.data(), s.container()), CAM,
                                clip.startMillis() + s.startPtsMicros() / 1000, s.sequence(), sampler,
                                new FrameListener() {
                                    @Override
                                    public void decoded(long eventTimeMillis) {}

                                    @Override
                                    public void sampled(SampledFrame frame) {
                                        sampled.add(frame);
                                    }
                                });
                    }
                    float[] frames = tensors(sampled, tensor);
                    List<EncodedFrame> encoded = model.encode(frames, sampled.size());
                    GenerationConfig caption = GenerationConfig.greedy(conf.get(CAPTION_MAX_TOKENS));
                    out.add(new Offline(frames, sampled.stream().map(f -> f.eventTimeMillis).toList(),
                            model.answer(encoded, conf.get(CAPTION_PROMPT), caption).text(),
                            model.answer(encoded, standingQuestion(), caption).text(),
                            model.answer(encoded, countQuestion(), GenerationConfig.greedy(conf.get(QUERY_MAX_TOKENS)))
                                    .text()));
                }
                // the file query: the whole video from time 0, at the file queries' sampling rate
                List<SampledFrame> sampled = new ArrayList<>();
                extractor.extract(VideoInput.ofUri(fileVideoPath.toString()), "file-1", 0, -1,
                        new FrameSampler(conf.get(QUERY_FILE_FPS)), new FrameListener() {
                            @Override
                            public void decoded(long eventTimeMillis) {}

                            @Override
                            public void sampled(SampledFrame frame) {
                                sampled.add(frame);
                            }
                        });
                offlineFileAnswer = model.answer(model.encode(tensors(sampled, tensor), sampled.size()),
                        fileVideo.questions().get(0).question(),
                        GenerationConfig.greedy(conf.get(QUERY_MAX_TOKENS))).text();
            }
            LOG.info("offline file answer: {}", offlineFileAnswer);
            LOG.info("offline: {}", out.stream().map(o -> o.caption() + " | " + o.standingAnswer() + " | "
                    + o.countAnswer()).toList());
            return out;
        }
    }

    /** Sampled frames as one normalised NHWC batch, converted as the frame encoder does. */
    private static float[] tensors(List<SampledFrame> sampled, ModelInputSpec tensor) {
        float[] frames = new float[sampled.size() * tensor.tensorLength()];
        float[] frame = new float[tensor.tensorLength()];
        for (int i = 0; i < sampled.size(); i++) {
            ModelInputConverter.jpegToTensor(sampled.get(i).jpeg, tensor, frame);
            System.arraycopy(frame, 0, frames, i * frame.length, frame.length);
        }
        return frames;
    }

    /** "Is there a {color} {shape}?" for clip 0's first object: yes there, and not everywhere. */
    private static String standingQuestion() {
        var o = clips.get(0).video().scene().objects().get(0);
        return "Is there a " + o.name() + "?";
    }

    private static String countQuestion() {
        return "How many objects are there?";
    }

    private static void send(QueryProducer producer, Query q, String status) throws InterruptedException {
        producer.send(q);
        expectedAnswers.add(q.queryId + " " + status);
    }

    /** Every way a query can be wrong, each to be answered with its error, and the job to carry on. */
    private static void sendMalformedQueries(QueryProducer queries, KafkaProducer<byte[], byte[]> raw) throws Exception {
        String topic = conf.get(TOPIC_QUERIES);
        for (String value : new String[] {"not json", "null", "{\"kind\":\"ask\",\"streamId\":\"cam\",\"question\":\"q?\"}", null}) {
            RecordMetadata m = raw.send(new ProducerRecord<>(topic, "cam".getBytes(StandardCharsets.UTF_8),
                    value == null ? null : value.getBytes(StandardCharsets.UTF_8))).get();
            expectedAnswers.add(QueryParser.recordId(m.topic(), m.partition(), m.offset()) + " "
                    + (value != null && value.contains("kind") ? AnswerStatus.INVALID_QUERY : AnswerStatus.MALFORMED_QUERY));
        }
        Query kind = history("bad-kind", CAM, null, null, "q?");
        kind.kind = "shout";
        send(queries, kind, AnswerStatus.INVALID_QUERY);
        Query both = history("bad-both", CAM, null, null, "q?");
        both.videoUri = fileVideoPath.toString();
        send(queries, both, AnswerStatus.INVALID_QUERY);
        send(queries, history("bad-long", CAM, null, null, "x".repeat(MAX_QUESTION_CHARS + 1)),
                AnswerStatus.QUESTION_TOO_LONG);
        Query mode = history("bad-mode", CAM, null, null, "q?");
        mode.mode = "gpt";
        send(queries, mode, AnswerStatus.UNSUPPORTED_MODE);
        Query tokens = history("bad-tokens", CAM, null, null, "q?");
        tokens.maxTokens = 0;
        send(queries, tokens, AnswerStatus.INVALID_QUERY);
        send(queries, history("bad-range", CAM, T0, T0, "q?"), AnswerStatus.INVALID_QUERY);
        send(queries, video("bad-protocol", "concat:" + fileVideoPath + "|" + fileVideoPath, "q?"),
                AnswerStatus.INVALID_QUERY);
        send(queries, history("unknown-stream", "nobody", null, null, "q?"), AnswerStatus.UNKNOWN_STREAM);
        send(queries, video("missing-file", work.resolve("no-such.mp4").toString(), "q?"),
                AnswerStatus.UNREADABLE_VIDEO);
        Path text = Files.writeString(work.resolve("notes.txt"), "not a video\n".repeat(100));
        send(queries, video("not-a-video", text.toString(), "q?"), AnswerStatus.UNREADABLE_VIDEO);
        Query noQuestion = history("bad-standing", CAM, null, null, null);
        noQuestion.kind = Query.KIND_STANDING;
        send(queries, noQuestion, AnswerStatus.INVALID_QUERY);
    }

    /** Damaged and malformed segments of the camera between two clips; returns the next sequence number. */
    private static long publishBadSegments(SegmentPublisher segments, KafkaProducer<byte[], byte[]> raw, long seq,
            long startMillis) throws Exception {
        Random random = new Random(7);
        for (int i = 0; i < 3; i++) {
            byte[] garbage = new byte[20_000 + i];
            random.nextBytes(garbage);
            segments.publish(CAM, seq++, startMillis, "mpegts", garbage);
            expectedDlq.merge(DlqReason.CORRUPT_SEGMENT, 1, Integer::sum);
        }
        ProducerRecord<byte[], byte[]> empty = new ProducerRecord<>(conf.get(TOPIC_SEGMENTS),
                CAM.getBytes(StandardCharsets.UTF_8), null);
        SegmentHeaders.write(empty.headers(), seq++, startMillis, "mpegts");
        raw.send(empty).get();
        expectedDlq.merge(DlqReason.EMPTY_SEGMENT, 1, Integer::sum);
        raw.send(new ProducerRecord<>(conf.get(TOPIC_SEGMENTS), null, new byte[100])).get();
        raw.send(new ProducerRecord<>(conf.get(TOPIC_SEGMENTS), CAM.getBytes(StandardCharsets.UTF_8), new byte[100]))
                .get();
        expectedDlq.merge(DlqReason.BAD_HEADERS, 2, Integer::sum);
        return seq;
    }

    private static int vtestWindows() {
        return Math.toIntExact((vtestEnd - 1 - VTEST_T0) / ShapesCamera.CLIP_MILLIS + 1);
    }

    private static List<Caption> awaitCaptions(Predicate<List<Caption>> done) throws InterruptedException {
        List<Caption> got = TestJobs.await(KAFKA, conf.get(TOPIC_CAPTIONS), Caption.class, AWAIT, done,
                () -> "windows captioned: " + CAM + " "
                        + captionedWindows(TestJobs.read(KAFKA, conf.get(TOPIC_CAPTIONS), Caption.class), CAM) + ", "
                        + VTEST + " "
                        + captionedWindows(TestJobs.read(KAFKA, conf.get(TOPIC_CAPTIONS), Caption.class), VTEST)
                        + "; " + jobState());
        LOG.info("{} captions", got.size());
        return got;
    }

    private static void awaitAnswers(Predicate<Map<String, Answer>> done) throws InterruptedException {
        TestJobs.await(KAFKA, conf.get(TOPIC_ANSWERS), Answer.class, AWAIT,
                a -> done.test(a.stream().collect(Collectors.toMap(x -> x.queryId, x -> x, (x, y) -> x))),
                PipelineITCase::jobState);
        LOG.info("answers arrived");
    }

    private static String jobState() {
        if (running == null) {
            return "no job running";
        }
        StringBuilder out = new StringBuilder(rest.describe(running.getJobID()));
        for (String operator : List.of("decode-and-sample", "frame-encode", "live-caption", "generate")) {
            try {
                out.append("\n  ").append(rest.operatorMetrics(running.getJobID(), operator));
            } catch (Exception e) {
                out.append("\n  ").append(operator).append(": ").append(e);
            }
        }
        return out.toString();
    }

    private static java.util.Set<String> expectedIds() {
        return expectedAnswers.stream().map(e -> e.substring(0, e.indexOf(' '))).collect(Collectors.toSet());
    }

    /**
     * `streamvl ask` against the running job: a history question (its answer printed as JSON), and a standing
     * question registered and cancelled again.
     */
    private static void askThroughTheCli() throws Exception {
        List<String> common = List.of("--bootstrap", KAFKA.bootstrapServers(),
                "-D", TOPIC_QUERIES.key() + "=" + conf.get(TOPIC_QUERIES),
                "-D", TOPIC_ANSWERS.key() + "=" + conf.get(TOPIC_ANSWERS),
                "-D", TOPIC_EVENTS.key() + "=" + conf.get(TOPIC_EVENTS));
        cliAnswer = cli(common, "--id", "cli-ask", "--stream", CAM, "--from", String.valueOf(clips.get(4).startMillis()),
                "--to", Instant.ofEpochMilli(clips.get(4).endMillis()).toString(), "--json", countQuestion());
        expectedAnswers.add("cli-ask " + AnswerStatus.OK);
        cliStanding = cli(common, "--standing", "--id", "cli-standing", "--stream", "cam-nobody", "--trigger", "yes",
                "Is it raining?");
        cliCancel = cli(common, "--cancel", "cli-standing");
        expectedAnswers.add("cli-standing " + AnswerStatus.OK);
        expectedAnswers.add("cli-standing " + AnswerStatus.OK);
    }

    private static StreamvlCliTest.Run cli(List<String> common, String... args) {
        List<String> all = new ArrayList<>(List.of("ask"));
        all.addAll(common);
        all.addAll(List.of(args));
        return StreamvlCliTest.run(all.toArray(String[]::new));
    }

    private static Answer answer(String queryId) {
        return answers.stream().filter(a -> a.queryId.equals(queryId)).findFirst().orElseThrow();
    }

    private static DlqReason reason(String code) {
        for (DlqReason r : DlqReason.values()) {
            if (r.code().equals(code)) {
                return r;
            }
        }
        throw new AssertionError("unknown DLQ reason " + code);
    }

    @Test
    void theCameraGetsOneCaptionPerWindowFromItsFourFrames() {
        List<Caption> cam = captions.stream().filter(c -> c.streamId.equals(CAM)).collect(Collectors.toList());
        assertThat(cam).extracting(c -> c.windowStartMillis)
                .containsExactlyInAnyOrderElementsOf(clips.stream().map(Clip::startMillis).toList());
        for (Caption c : cam) {
            Clip clip = clips.get(clipIndex(c));
            assertThat(c.windowEndMillis).isEqualTo(clip.endMillis());
            assertThat(c.frames).as("frames of window %d", c.windowStartMillis).isEqualTo(ShapesFrames.FRAMES);
            assertThat(c.mode).isEqualTo("llava-mini");
            assertThat(c.model).isEqualTo(TestBundles.modelName(TestBundles.shipped()));
            // may be empty: a model may end a caption at once
            assertThat(c.caption).isNotNull();
            assertThat(c.latencyMillis).isNotNull();
        }
        assertThat(dlq).as("the camera paused mid-window for longer than the source idleness: none of its frames "
                + "is late").noneMatch(r -> DlqReason.LATE.code().equals(r.reason));
    }

    /**
     * A window of one object is captioned as its scene truly is: the shipped model gets 65 of the 67 single-object
     * captions of docs/models.md's 200 unseen videos right (and these windows' clips offline), so a wrong one here is
     * most likely the pipeline's (its frames, their order, the window's cut), which the comparison with the model's
     * own offline text, computed through the same decoding, cannot see. Windows of two or three objects are not held
     * to the truth: the model captions half of those exactly.
     */
    @Test
    void aWindowOfOneObjectIsCaptionedAsItsSceneIs() {
        int checked = 0;
        for (Caption c : captions.stream().filter(c -> c.streamId.equals(CAM)).toList()) {
            Scene scene = clips.get(clipIndex(c)).video().scene();
            if (scene.objects().size() == 1) {
                String truth = CaptionWriter.caption(scene);
                assertThat(CaptionWriter.sameClauses(truth, c.caption))
                        .as("window %d: %s, expected %s", c.windowStartMillis, c.caption, truth).isTrue();
                checked++;
            }
        }
        assertThat(checked).as("single-object windows of the camera").isPositive();
    }

    /** The camera clip a caption's window shows: one clip per window, from {@link #T0}. */
    private static int clipIndex(Caption c) {
        return Math.toIntExact((c.windowStartMillis - T0) / ShapesCamera.CLIP_MILLIS);
    }

    @Test
    void historyQuestionsAreAnsweredFromTheirRangesFrames() {
        for (int i : new int[] {0, 1, 3}) {
            String id = i == 0 ? "history-inflight" : i == 1 ? "history-1" : "history-2";
            Answer a = answer(id);
            assertThat(a.status).as(id + ": " + a.message).isEqualTo(AnswerStatus.OK);
            assertThat(a.streamId).isEqualTo(CAM);
            assertThat(a.rangeStartMillis).isEqualTo(clips.get(i).startMillis());
            assertThat(a.rangeEndMillis).isEqualTo(clips.get(i).endMillis());
            assertThat(a.framesUsed).isEqualTo(ShapesFrames.FRAMES);
            assertThat(a.question).isEqualTo(countQuestion());
            assertThat(a.answer).isNotNull();
            assertThat(a.tokens).isNotNull();
            assertThat(a.model).isEqualTo(TestBundles.modelName(TestBundles.shipped()));
        }
        for (String id : List.of("history-1", "history-2", "file-1")) {
            List<String> stages = progress.stream().filter(p -> p.queryId.equals(id)).map(p -> p.stage).toList();
            assertThat(stages).as("progress of %s", id).contains(QueryProgress.ACCEPTED, QueryProgress.ENCODING,
                    QueryProgress.GENERATING).containsOnlyOnce(QueryProgress.DONE);
        }
    }

    @Test
    void streamvlAskPrintsTheAnswerAndRegistersAndCancelsStandingQuestions() throws Exception {
        assertThat(cliAnswer.code()).as(cliAnswer.err()).isZero();
        Answer printed = Json.read(cliAnswer.out().strip().getBytes(StandardCharsets.UTF_8), Answer.class);
        assertThat(printed.queryId).isEqualTo("cli-ask");
        assertThat(printed.rangeStartMillis).isEqualTo(clips.get(4).startMillis());
        assertThat(printed.rangeEndMillis).isEqualTo(clips.get(4).endMillis());
        assertThat(printed.framesUsed).isEqualTo(ShapesFrames.FRAMES);
        assertThat(cliStanding.code()).as(cliStanding.err()).isZero();
        assertThat(cliStanding.out()).contains("registered on stream cam-nobody", "'yes'");
        assertThat(cliCancel.code()).as(cliCancel.err()).isZero();
        assertThat(cliCancel.out()).contains("cli-standing cancelled");
    }

    @Test
    void aFileQueryReportsDecodingProgressThenItsAnswer() {
        Answer a = answer("file-1");
        int seconds = fileVideo.scene().durationSeconds();
        assertThat(a.status).as(a.message).isEqualTo(AnswerStatus.OK);
        assertThat(a.videoUri).isEqualTo(fileVideoPath.toString());
        assertThat(a.framesUsed).isEqualTo(seconds);
        assertThat(a.rangeStartMillis).isZero();
        assertThat(a.rangeEndMillis).isEqualTo(seconds * 1000L);
        List<QueryProgress> events = progress.stream().filter(p -> p.queryId.equals("file-1")).toList();
        List<Double> decoding = events.stream().filter(p -> p.stage.equals(QueryProgress.DECODING))
                .map(p -> p.fraction).toList();
        assertThat(decoding).as("one event per 10 decoded frames, at least").hasSizeGreaterThanOrEqualTo(seconds - 1);
        assertThat(decoding).isSorted().doesNotHaveDuplicates();
        // several operators report a query's progress, so the topic may hold it slightly out of order
        List<QueryProgress> inTime = events.stream()
                .sorted(java.util.Comparator.comparingLong((QueryProgress p) -> p.timeMillis)).toList();
        assertThat(inTime).extracting(p -> p.fraction).isSorted();
        assertThat(inTime.get(inTime.size() - 1).stage).isEqualTo(QueryProgress.DONE);
    }

    @Test
    void theStandingQuestionAlertsOnItsFirstAnswerAndOnEveryChangeAcrossTheRestore() {
        assertThat(answer("standing-1").status).isEqualTo(AnswerStatus.OK);
        assertThat(alerts).isNotEmpty().allSatisfy(a -> {
            assertThat(a.questionId).isEqualTo("standing-1");
            assertThat(a.streamId).isEqualTo(CAM);
            assertThat(a.question).isEqualTo(standingQuestion());
            assertThat(a.windowEndMillis - a.windowStartMillis).isEqualTo(ShapesCamera.CLIP_MILLIS);
            assertThat(a.frames).isEqualTo(ShapesFrames.FRAMES);
        });
        assertThat(alerts).extracting(a -> a.windowStartMillis).isSorted().doesNotHaveDuplicates()
                .startsWith(T0).isSubsetOf(clips.stream().map(Clip::startMillis).toList());
        assertThat(alerts.get(0).previousAnswer).isNull();
        for (int i = 1; i < alerts.size(); i++) {
            Alert a = alerts.get(i);
            // suppressed windows repeated the answer before them, so each alert follows the one before it
            assertThat(a.previousAnswer).isEqualTo(alerts.get(i - 1).answer);
            assertThat(a.triggered || !a.answer.strip().equalsIgnoreCase(a.previousAnswer.strip()))
                    .as("alert for window %d changed or triggered", a.windowStartMillis).isTrue();
        }
    }

    /**
     * The offline frames are those the model is trained and evaluated on ({@link ShapesFrames#decode} of the
     * clip's video), and they are what the job sampled: the same event times, and the same four frames per window.
     */
    @Test
    void theCameraSegmentsSampleToTheClipsFrames() throws Exception {
        for (Clip clip : clips) {
            Offline o = offline.get(clip.index());
            assertThat(o.sampledAt()).as("clip %d", clip.index())
                    .containsExactly(java.util.stream.LongStream.range(0, ShapesFrames.FRAMES)
                            .mapToObj(k -> clip.startMillis() + k * 1000).toArray(Long[]::new));
            Scene scene = clip.video().scene();
            Path file = work.resolve("offline-" + clip.index() + ".mp4");
            ShapesVideoWriter.write(new Scene(scene.background(), ShapesCamera.CLIP_SECONDS, scene.fps(),
                    scene.objects()), file);
            int side = (int) Math.round(Math.sqrt(o.frames().length / (ShapesFrames.FRAMES * 3.0)));
            try (ShapesFrames frames = new ShapesFrames(side)) {
                assertThat(o.frames()).as("clip %d's frames", clip.index()).isEqualTo(frames.decode(file));
            }
        }
    }

    /**
     * Captions, history answers and the standing question's alerts are what the same model, run directly on the
     * same frames with the same prompts and token limits, says about them: the job's batching, state, checkpoints
     * and restore change none of its text.
     */
    @Test
    void theTextIsWhatTheModelSaysOfflineAboutTheSameFrames() {
        for (Caption c : captions.stream().filter(c -> c.streamId.equals(CAM)).toList()) {
            int i = clipIndex(c);
            assertThat(c.caption).as("caption of clip %d", i).isEqualTo(offline.get(i).caption());
        }
        for (int i : new int[] {0, 1, 3}) {
            String id = i == 0 ? "history-inflight" : i == 1 ? "history-1" : "history-2";
            assertThat(answer(id).answer).as(id).isEqualTo(offline.get(i).countAnswer());
        }
        Answer printed = answer("cli-ask");
        assertThat(printed.answer).as("cli-ask").isEqualTo(offline.get(4).countAnswer());
        assertThat(answer("file-1").answer).as("file-1").isEqualTo(offlineFileAnswer);
        // the alerts the offline answers call for: the first window's, then each that triggers or changes
        List<String> expected = new ArrayList<>();
        String previous = null;
        for (Clip clip : clips) {
            String text = offline.get(clip.index()).standingAnswer();
            if (previous == null || TriggerWord.matches("yes", text)
                    || !text.strip().equalsIgnoreCase(previous.strip())) {
                expected.add(clip.startMillis() + " " + text);
            }
            previous = text;
        }
        assertThat(alerts).extracting(a -> a.windowStartMillis + " " + a.answer).containsExactlyElementsOf(expected);
    }

    @Test
    void theRestoredJobRepeatsAndLosesNothing() {
        assertThat(captions).extracting(c -> c.streamId + "@" + c.windowStartMillis).doesNotHaveDuplicates();
        List<String> ids = expectedAnswers.stream().map(e -> e.substring(0, e.indexOf(' '))).toList();
        assertThat(answers).extracting(a -> a.queryId).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(progress.stream().filter(p -> p.stage.equals(QueryProgress.DONE) || p.stage.equals(QueryProgress.FAILED)))
                .extracting(p -> p.queryId).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(statuses).extracting(s -> s.streamId + "@" + s.windowStartMillis).doesNotHaveDuplicates();
    }

    @Test
    void everyBadInputIsAnsweredOrDeadLetteredExactlyOnceAndTheJobCarriesOn() {
        assertThat(answers).extracting(a -> a.queryId + " " + a.status).containsExactlyInAnyOrderElementsOf(expectedAnswers);
        assertThat(answers).filteredOn(a -> !a.status.equals(AnswerStatus.OK))
                .allSatisfy(a -> assertThat(a.message).isNotBlank());
        Map<DlqReason, Integer> reasons = new HashMap<>();
        for (DlqRecord r : dlq) {
            reasons.merge(reason(r.reason), 1, Integer::sum);
        }
        assertThat(reasons).as("DLQ records %s", dlq.stream().map(r -> r.key + " " + r.reason + " " + r.sourcePartition
                + "/" + r.sourceOffset).toList()).isEqualTo(expectedDlq);
        // a record without a key is dead-lettered under the empty stream id it was decoded as
        assertThat(dlq).allSatisfy(r -> assertThat(r.key).isIn(CAM, ""));
        assertThat(metrics).containsKeys("live-caption.framesFused", "frame-encode.framesEncoded",
                "generate.tokensGenerated", "video-memory.memoryFramesStored");
        assertThat(metrics.get("frame-encode.framesEncoded")).isPositive();
    }

    @Test
    void realFootageGoesThroughTheWholePipelineWithoutErrors() {
        List<Caption> vtest = captions.stream().filter(c -> c.streamId.equals(VTEST)).toList();
        assertThat(vtest).hasSize(vtestWindows());
        Map<Long, IngestStatus> byWindow = statuses.stream().filter(s -> s.streamId.equals(VTEST))
                .collect(Collectors.toMap(s -> s.windowStartMillis, s -> s));
        for (Caption c : vtest) {
            IngestStatus s = byWindow.get(c.windowStartMillis);
            assertThat(s).as("status of window %d", c.windowStartMillis).isNotNull();
            assertThat(s.decodeErrors).isZero();
            assertThat(c.frames).isEqualTo(s.framesSampled).isPositive();
            assertThat(c.caption).isNotNull();
        }
        Answer a = answer("history-vtest");
        assertThat(a.status).as(a.message).isEqualTo(AnswerStatus.OK);
        assertThat(a.framesUsed).isEqualTo(8);
        assertThat(dlq).noneMatch(r -> VTEST.equals(r.key));
    }
}

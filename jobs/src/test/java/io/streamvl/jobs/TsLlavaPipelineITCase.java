package io.streamvl.jobs;

import static io.streamvl.jobs.config.StreamvlOptions.*;
import static io.streamvl.jobs.testing.TestJobs.captionedWindows;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamvl.jobs.client.QueryProducer;
import io.streamvl.jobs.config.PipelineSettings;
import io.streamvl.jobs.demo.ShapesCamera;
import io.streamvl.jobs.demo.ShapesCamera.Clip;
import io.streamvl.jobs.testing.OnceForAllTests;
import io.streamvl.jobs.testing.TestBundles;
import io.streamvl.jobs.testing.TestJobs;
import io.streamvl.jobs.testing.TestQueries;
import io.streamvl.kafka.Alert;
import io.streamvl.kafka.Answer;
import io.streamvl.kafka.AnswerStatus;
import io.streamvl.kafka.Caption;
import io.streamvl.kafka.Query;
import io.streamvl.kafka.SegmentPublisher;
import io.streamvl.kafka.testing.EmbeddedKafkaExtension;
import io.streamvl.operators.model.ModelKind;
import io.streamvl.operators.model.ModelSettings;
import io.streamvl.operators.model.SharedModels;
import io.streamvl.shapes.train.ShapesFrames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline in TS-LLaVA caption mode ({@code streamvl.caption.mode=ts-llava}) on the embedded broker and a
 * MiniCluster with the shipped demo model, in one short job run: a standing question on the shapes camera, three
 * clips (one per caption window) and the next clip's first segment to close the last of them, then a history
 * question in {@code ts-llava} mode about clip 1. Checked are structure and modes, not what the text says (the demo
 * model is not accurate enough), and that the job never loaded LLaVA-Mini: nothing it was asked needed it.
 */
class TsLlavaPipelineITCase {
    static final long T0 = TestJobs.recentWindowStart(ShapesCamera.CLIP_MILLIS);
    static final String CAM = "cam-ts";
    static final long SEED = 22;
    static final int CLIPS = 3;
    static final String MODE = ModelKind.TS_LLAVA.mode();
    static final Duration AWAIT = Duration.ofMinutes(2);

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @RegisterExtension
    static final MiniClusterExtension FLINK = TestJobs.miniCluster();

    @TempDir
    static Path work;

    static Configuration conf;
    static final List<Clip> clips = new ArrayList<>();
    static List<Caption> captions;
    static List<Alert> alerts;
    static List<Answer> answers;
    /** Leases on each kind of model while the job ran, by mode. */
    static final Map<String, Integer> leases = new HashMap<>();

    private static final OnceForAllTests SCENARIO = new OnceForAllTests();

    @BeforeEach
    void scenario() throws Exception {
        SCENARIO.run(TsLlavaPipelineITCase::runScenario);
    }

    static void runScenario() throws Exception {
        Map<String, String> settings = new HashMap<>(TestJobs.shapesCamera());
        settings.put(CAPTION_MODE.key(), MODE);
        // the camera's last segment leaves its own window open: it must not close while the test runs
        settings.put(CAPTION_IDLE_TIMEOUT.key(), "10 min");
        conf = TestJobs.config(KAFKA, "ts-llava", settings);
        ModelSettings model = PipelineSettings.of(conf).model();
        ShapesCamera camera = new ShapesCamera(work.resolve("clips"), SEED, CAM, T0);
        for (int i = 0; i < CLIPS; i++) {
            clips.add(camera.clip(i));
        }
        JobClient running = null;
        try (QueryProducer queries = new QueryProducer(conf);
                SegmentPublisher segments = new SegmentPublisher(KAFKA.bootstrapServers(), conf.get(TOPIC_SEGMENTS),
                        conf.get(MAX_MESSAGE_BYTES))) {
            queries.send(TestQueries.standing("standing-ts", CAM, standingQuestion(), "yes"));
            running = TestJobs.start(conf, work, null);
            // the registration has reached the caption operator once its answer is committed
            awaitAnswers(a -> a.contains("standing-ts"));

            long seq = 0;
            for (Clip clip : clips) {
                seq = camera.publish(segments, clip, seq, false);
            }
            camera.publish(segments, camera.clip(CLIPS), 0, 1, seq, false);
            captions = TestJobs.await(KAFKA, conf.get(TOPIC_CAPTIONS), Caption.class, AWAIT,
                    c -> captionedWindows(c, CAM).size() == CLIPS, () -> "captions of " + CAM);

            Query history = TestQueries.history("history-ts", CAM, clips.get(1).startMillis(),
                    clips.get(1).endMillis(), "How many objects are there?");
            history.mode = MODE;
            queries.send(history);
            awaitAnswers(a -> a.contains("history-ts"));
            for (ModelKind<?> kind : List.of(ModelKind.LLAVA_MINI, ModelKind.TS_LLAVA)) {
                leases.put(kind.mode(), SharedModels.leases(kind, model));
            }
        } finally {
            if (running != null) {
                running.cancel().get(1, TimeUnit.MINUTES);
            }
        }
        alerts = TestJobs.read(KAFKA, conf.get(TOPIC_ALERTS), Alert.class);
        answers = TestJobs.read(KAFKA, conf.get(TOPIC_ANSWERS), Answer.class);
    }

    /** "Is there a {color} {shape}?" for clip 0's first object. */
    private static String standingQuestion() {
        return "Is there a " + clips.get(0).video().scene().objects().get(0).name() + "?";
    }

    private static void awaitAnswers(Predicate<List<String>> done) throws InterruptedException {
        TestJobs.await(KAFKA, conf.get(TOPIC_ANSWERS), Answer.class, AWAIT,
                a -> done.test(a.stream().map(x -> x.queryId).toList()), () -> "answers");
    }

    private static Answer answer(String queryId) {
        return answers.stream().filter(a -> a.queryId.equals(queryId)).findFirst().orElseThrow();
    }

    @Test
    void eachWindowGetsOneTsLlavaCaptionOfItsFourFrames() {
        List<Caption> inTime = captions.stream()
                .sorted(Comparator.comparingLong((Caption c) -> c.windowStartMillis)).toList();
        assertThat(inTime).allSatisfy(c -> assertThat(c.streamId).isEqualTo(CAM));
        assertThat(inTime).extracting(c -> c.windowStartMillis)
                .containsExactlyElementsOf(clips.stream().map(Clip::startMillis).toList());
        for (int i = 0; i < CLIPS; i++) {
            Caption c = inTime.get(i);
            assertThat(c.windowEndMillis).isEqualTo(clips.get(i).endMillis());
            assertThat(c.frames).as("frames of window %d", c.windowStartMillis).isEqualTo(ShapesFrames.FRAMES);
            assertThat(c.mode).isEqualTo(MODE);
            assertThat(c.model).isEqualTo(TestBundles.modelName(TestBundles.shipped()));
            assertThat(c.caption).isNotNull();
        }
    }

    @Test
    void theStandingQuestionAlertsInTsLlavaMode() {
        assertThat(answer("standing-ts").status).isEqualTo(AnswerStatus.OK);
        // the first answer always alerts; later ones when they change or hold the trigger
        assertThat(alerts).isNotEmpty().allSatisfy(a -> {
            assertThat(a.questionId).isEqualTo("standing-ts");
            assertThat(a.streamId).isEqualTo(CAM);
            assertThat(a.mode).isEqualTo(MODE);
            assertThat(a.windowEndMillis - a.windowStartMillis).isEqualTo(ShapesCamera.CLIP_MILLIS);
            assertThat(a.frames).isEqualTo(ShapesFrames.FRAMES);
        });
        assertThat(alerts).extracting(a -> a.windowStartMillis).startsWith(T0).doesNotHaveDuplicates()
                .isSubsetOf(clips.stream().map(Clip::startMillis).toList());
    }

    @Test
    void aTsLlavaHistoryQuestionIsAnsweredFromItsRangesFrames() {
        Answer a = answer("history-ts");
        assertThat(a.status).as(a.message).isEqualTo(AnswerStatus.OK);
        assertThat(a.mode).isEqualTo(MODE);
        assertThat(a.streamId).isEqualTo(CAM);
        assertThat(a.rangeStartMillis).isEqualTo(clips.get(1).startMillis());
        assertThat(a.rangeEndMillis).isEqualTo(clips.get(1).endMillis());
        assertThat(a.framesUsed).isEqualTo(ShapesFrames.FRAMES);
        assertThat(a.answer).isNotNull();
    }

    @Test
    void theJobLoadedTsLlavaAloneWhileItRan() {
        assertThat(leases.get(ModelKind.TS_LLAVA.mode())).as("ts-llava-caption, generate, query-encode").isPositive();
        assertThat(leases.get(ModelKind.LLAVA_MINI.mode())).as("nothing in this job needs LLaVA-Mini").isZero();
    }
}

package io.streamvl.jobs.demo;

import static io.streamvl.jobs.config.StreamvlOptions.*;

import io.streamvl.jobs.LocalStack;
import io.streamvl.jobs.client.QueryProducer;
import io.streamvl.jobs.client.TopicReader;
import io.streamvl.kafka.Alert;
import io.streamvl.kafka.Answer;
import io.streamvl.kafka.Caption;
import io.streamvl.kafka.Json;
import io.streamvl.kafka.SegmentPublisher;
import io.streamvl.shapes.ShapesVideoWriter;
import io.streamvl.shapes.train.ShapesFrames;
import io.streamvl.shapes.train.ShapesTrainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code streamvl demo}: the embedded stack, a shapes-world camera playing in real time, and {@link DemoScript}'s
 * questions, with everything that comes back printed by {@link DemoPrinter}. The caption window is one camera clip,
 * so that each caption covers one scene.
 */
public final class Demo {
    private static final Logger LOG = LoggerFactory.getLogger(Demo.class);
    public static final String CAMERA = "demo-cam";
    /** How long the script may take beyond the camera's own time before the demo gives up. */
    static final Duration SLACK = Duration.ofMinutes(3);

    /**
     * The demo's default shapes-world seed: not the demo model's training seed ({@link ShapesTrainer#SEED}), so the
     * demo shows the model on videos it never saw, as a camera would.
     */
    public static final long DEFAULT_SEED = ShapesTrainer.SEED + 1;

    /**
     * @param clips clips the camera plays before the script ends (at least 2: questions are asked about two)
     * @param once end after the script, rather than leave the camera playing until {@link #stop()}
     */
    public record Options(int clips, long seed, boolean once, boolean json) {
        public Options {
            if (clips < 2) {
                throw new IllegalArgumentException("the demo needs at least 2 clips, got " + clips);
            }
        }
    }

    private final Options options;
    private final DemoPrinter printer;
    private final DemoScript script;
    private volatile boolean stopped;

    public Demo(Options options, java.io.PrintStream out) {
        this.options = options;
        this.printer = new DemoPrinter(out, options.json());
        this.script = new DemoScript(options.seed(), CAMERA);
    }

    /** The demo's settings on top of the user's: local, fresh, windows of one clip, queries of a clip's frames. */
    public static Configuration configure(Configuration user, Path work) {
        Configuration conf = new Configuration(user);
        conf.set(WORK_DIR, work.toString());
        conf.set(LOCAL_KAFKA_PORT, 0);
        conf.set(CHECKPOINT_INTERVAL, Duration.ofSeconds(1));
        conf.set(STARTING_OFFSETS, "earliest");
        conf.set(WINDOW, Duration.ofMillis(ShapesCamera.CLIP_MILLIS));
        // the file query's whole video (up to 8 s) as the model's clips: given every 1 fps frame instead, the demo
        // model reads direction far worse (docs/configuration.md)
        conf.set(QUERY_MAX_FRAMES, ShapesFrames.FRAMES);
        // one camera, publishing in order: a window closes with its next segment
        conf.set(WATERMARK_OUT_OF_ORDERNESS, Duration.ZERO);
        // the partitions no camera uses stop holding the watermark soon; the camera's own sends every 2 s
        conf.set(SOURCE_IDLENESS, Duration.ofSeconds(3));
        // the camera's last segment closes the window before it and is no clip of the script: its own window stays
        // open for as long as the script may take, rather than come out as a caption of a clip's first seconds
        conf.set(CAPTION_IDLE_TIMEOUT, SLACK);
        return conf;
    }

    /** Ends a running demo soon (Ctrl-C). */
    public void stop() {
        stopped = true;
    }

    /**
     * Runs the demo in {@code work}.
     *
     * @return false when the script did not finish in time (the reason is printed on stderr)
     */
    public boolean run(Configuration conf, Path work) throws Exception {
        Path fileVideo = Files.createDirectories(work.resolve("videos")).resolve(script.fileVideo().name());
        ShapesVideoWriter.write(script.fileVideo().scene(), fileVideo);
        printer.say("Starting Kafka and Flink ...");
        try (LocalStack stack = LocalStack.start(conf, null, true)) {
            Configuration running = stack.configuration();
            printer.say("Kafka at " + stack.bootstrapServers() + ", job " + stack.job().getJobID() + " running.");
            try (QueryProducer queries = new QueryProducer(running);
                    TopicReader reader = TopicReader.open(running, List.of(running.get(TOPIC_CAPTIONS),
                            running.get(TOPIC_ALERTS), running.get(TOPIC_ANSWERS)), true)) {
                Run run = new Run(running, queries, fileVideo);
                DemoScript.Asked standing = script.standing();
                printer.asked(standing, 0);
                queries.send(standing.query());
                // registered before the camera's first frame, so that it is asked of the whole of every window
                long registrationDeadline = System.currentTimeMillis() + SLACK.toMillis();
                while (!run.answered.contains(DemoScript.STANDING_ID)) {
                    if (stopped || System.currentTimeMillis() > registrationDeadline) {
                        return giveUp("the standing question was not registered within " + SLACK.toSeconds() + " s");
                    }
                    run.poll(reader);
                }
                run.t0 = Math.floorDiv(System.currentTimeMillis(), ShapesCamera.CLIP_MILLIS) * ShapesCamera.CLIP_MILLIS
                        + ShapesCamera.CLIP_MILLIS;
                ShapesCamera camera = new ShapesCamera(work.resolve("clips"), options.seed(), CAMERA, run.t0);
                printer.say("Camera '" + CAMERA + "' plays shapes-world clips of " + ShapesCamera.CLIP_SECONDS
                        + " s (seed " + options.seed() + "), one per caption window, in real time"
                        + (options.once() ? ": " + options.clips() + " clips." : ", until Ctrl-C."));
                Thread cameraThread = startCamera(running, camera);
                try {
                    return run.follow(reader);
                } finally {
                    cameraThread.interrupt();
                    cameraThread.join(10_000);
                    printer.say("Stopping (savepoint, then Kafka) ...");
                }
            }
        }
    }

    private static boolean giveUp(String why) {
        System.err.println("streamvl demo: " + why);
        return false;
    }

    private Thread startCamera(Configuration conf, ShapesCamera camera) {
        Thread t = new Thread(() -> {
            try (SegmentPublisher publisher = new SegmentPublisher(conf.get(BOOTSTRAP_SERVERS),
                    conf.get(TOPIC_SEGMENTS), conf.get(MAX_MESSAGE_BYTES))) {
                long seq = 0;
                int clip = 0;
                for (; !options.once() || clip < options.clips(); clip++) {
                    seq = camera.publish(publisher, camera.clip(clip), seq, true);
                }
                // the first segment of the next clip closes the last window
                camera.publish(publisher, camera.clip(clip), 0, 1, seq, true);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException | RuntimeException e) {
                LOG.error("demo camera failed", e);
                System.err.println("streamvl demo: the camera failed: " + e.getMessage());
            }
        }, "streamvl-demo-camera");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** One run's progress through the script: what came back, and the questions it triggers. */
    private final class Run {
        final String captionsTopic;
        final String alertsTopic;
        final QueryProducer queries;
        final Path fileVideo;
        final Set<Integer> captioned = new HashSet<>();
        final Set<String> answered = new HashSet<>();
        /** Event time of the camera's first frame; windows are numbered from it. */
        long t0;

        Run(Configuration conf, QueryProducer queries, Path fileVideo) {
            this.captionsTopic = conf.get(TOPIC_CAPTIONS);
            this.alertsTopic = conf.get(TOPIC_ALERTS);
            this.queries = queries;
            this.fileVideo = fileVideo;
        }

        /** Prints what arrives and asks the script's questions as windows close, until the script ends. */
        boolean follow(TopicReader reader) throws Exception {
            Set<Integer> scripted = IntStream.range(0, options.clips()).boxed().collect(Collectors.toSet());
            long deadline = t0 + options.clips() * ShapesCamera.CLIP_MILLIS + SLACK.toMillis();
            boolean scriptDone = false;
            while (!stopped) {
                poll(reader);
                if (!scriptDone && captioned.containsAll(scripted) && answered.containsAll(script.askedIds())) {
                    scriptDone = true;
                    if (options.once()) {
                        return true;
                    }
                    printer.say("That was the script; the camera plays on. Ctrl-C to stop.");
                }
                if (!scriptDone && System.currentTimeMillis() > deadline) {
                    Set<Integer> missing = new TreeSet<>(scripted);
                    missing.removeAll(captioned);
                    Set<String> unanswered = new TreeSet<>(script.askedIds());
                    unanswered.removeAll(answered);
                    return giveUp("gave up " + SLACK.toSeconds() + " s after the camera's last clip; no caption yet"
                            + " for windows " + missing + ", no answer yet to " + unanswered);
                }
            }
            return scriptDone;
        }

        void poll(TopicReader reader) throws Exception {
            for (ConsumerRecord<byte[], byte[]> r : reader.poll(Duration.ofMillis(500))) {
                if (r.topic().equals(captionsTopic)) {
                    Caption c = Json.read(r.value(), Caption.class);
                    int clip = clipOf(c.windowStartMillis);
                    printer.caption(r.value(), c, t0, script.clipVideo(clip).caption());
                    captioned.add(clip);
                    for (DemoScript.Asked a : script.afterCaption(clip, c.windowStartMillis, c.windowEndMillis,
                            fileVideo)) {
                        printer.asked(a, t0);
                        queries.send(a.query());
                    }
                } else if (r.topic().equals(alertsTopic)) {
                    Alert a = Json.read(r.value(), Alert.class);
                    printer.alert(a, t0, script.standingTruth(clipOf(a.windowStartMillis)));
                } else {
                    Answer a = Json.read(r.value(), Answer.class);
                    answered.add(a.queryId);
                    printer.answer(r.value(), a, t0, script.asked(a.queryId));
                }
            }
        }

        private int clipOf(long windowStartMillis) {
            return Math.toIntExact((windowStartMillis - t0) / ShapesCamera.CLIP_MILLIS);
        }
    }
}

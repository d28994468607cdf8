package io.streamvl.jobs.cli;

import static io.streamvl.jobs.config.StreamvlOptions.*;

import io.streamvl.ingest.segment.SegmentContainer;
import io.streamvl.ingest.segment.SegmentProducer;
import io.streamvl.jobs.LocalStack;
import io.streamvl.jobs.demo.SampleClip;
import io.streamvl.kafka.IngestStatus;
import io.streamvl.kafka.Json;
import io.streamvl.kafka.SegmentPublisher;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * `streamvl demo`: the embedded stack with a sample camera. Until the trained demo model and the captioning
 * operators are wired in, it shows the ingest half working end to end: segments through Kafka, decoded and sampled in
 * Flink, frames kept in the per-stream video memory, one status record per 10 s window.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Everything embedded: Kafka broker, Flink MiniCluster (RocksDB, checkpoints) and a sample",
                "video published as a live camera; prints each window's ingest status as it closes."})
public final class DemoCommand implements Callable<Integer> {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

    @Mixin
    ConfigMixin config;

    @Option(names = "--input", paramLabel = "FILE", description = "Video to publish instead of the generated sample.")
    Path input;

    @Option(names = "--seconds", paramLabel = "N", description = "How long the camera runs, in seconds (default ${DEFAULT-VALUE}).")
    int seconds = 45;

    @Option(names = "--json", description = "Print the status records as JSON lines, as they are on the topic.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        Path work = Files.createTempDirectory("streamvl-demo-");
        try {
            Configuration conf = config.load();
            conf.set(WORK_DIR, work.toString());
            conf.set(LOCAL_KAFKA_PORT, 0);
            conf.set(CHECKPOINT_INTERVAL, Duration.ofSeconds(2));
            conf.set(STARTING_OFFSETS, "earliest");
            Path video = input != null ? input : SampleClip.write(work.resolve("sample.mp4"), 12);
            ProduceCommand.checkReadable(video.toString());
            if (!json) {
                out.println("streamvl demo: ingest only. The model runtime is built, but no trained demo model ships yet and");
                out.println("the captioning operators are not wired in, so there are no captions or answers: this shows a");
                out.println("camera's video going through Kafka and Flink.");
                out.println("Camera 'demo-cam' plays " + (input != null ? input : "a generated clip (red square, blue circle)")
                        + " in real time for " + seconds + " s, looping;");
                out.println("every 10 s of video, the job reports what it decoded, sampled (1 fps) and keeps in memory.");
                out.println("Starting Kafka and Flink ...");
            }
            try (LocalStack stack = LocalStack.start(conf, null, true)) {
                Configuration running = stack.configuration();
                if (!json) {
                    out.println("Kafka at " + stack.bootstrapServers() + ", job " + stack.job().getJobID() + " running.");
                }
                Thread camera = startCamera(running, video);
                try {
                    tailStatuses(running, out, Instant.now().plusSeconds(seconds + 15));
                } finally {
                    camera.interrupt();
                    camera.join(10_000);
                }
                if (!json) {
                    out.println("Stopping (savepoint, then Kafka) ...");
                }
            }
            if (!json) {
                out.println("Done. `./streamvl local` keeps the same stack running for your own cameras.");
            }
            return 0;
        } finally {
            deleteRecursively(work);
        }
    }

    private Thread startCamera(Configuration conf, Path video) {
        Thread t = new Thread(() -> {
            var options = new SegmentProducer.Options(video.toString(), "demo-cam", true, true, 2.0, SegmentContainer.MPEGTS);
            try (SegmentPublisher publisher = new SegmentPublisher(conf.get(BOOTSTRAP_SERVERS), conf.get(TOPIC_SEGMENTS),
                            conf.get(MAX_MESSAGE_BYTES));
                    SegmentProducer producer = new SegmentProducer(publisher, options, null)) {
                Thread stopper = Thread.currentThread();
                Thread watchdog = new Thread(() -> {
                    try {
                        Thread.sleep(seconds * 1000L);
                    } catch (InterruptedException ignored) {
                        // interrupted by the demo's end: stop the camera below either way
                    }
                    producer.close();
                }, "streamvl-demo-camera-timer");
                watchdog.setDaemon(true);
                watchdog.start();
                producer.run();
                watchdog.interrupt();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                System.err.println("streamvl demo: camera failed: " + StreamvlCli.messageOf(e));
            }
        }, "streamvl-demo-camera");
        t.start();
        return t;
    }

    private void tailStatuses(Configuration conf, PrintStream out, Instant until) {
        String topic = conf.get(TOPIC_EVENTS);
        TailCommand.consume(conf.get(BOOTSTRAP_SERVERS), conf.get(MAX_MESSAGE_BYTES), topic, true,
                new TailCommand.Limits(Long.MAX_VALUE, null, until), record -> {
            if (json) {
                out.println(new String(record.value(), java.nio.charset.StandardCharsets.UTF_8));
                return;
            }
            try {
                IngestStatus s = Json.read(record.value(), IngestStatus.class);
                out.printf("%s  video %s-%s UTC  %d segments, %d frames decoded, %d sampled, %d errors, %d gaps;"
                                + " memory %d frames (%d KB)%n",
                        s.streamId, CLOCK.format(Instant.ofEpochMilli(s.windowStartMillis)),
                        CLOCK.format(Instant.ofEpochMilli(s.windowEndMillis)), s.segments, s.framesDecoded,
                        s.framesSampled, s.decodeErrors, s.sequenceGaps, s.memoryFrames, s.memoryBytes / 1024);
            } catch (java.io.IOException e) {
                out.println("unreadable status record: " + e.getMessage());
            }
        });
    }

    private static void deleteRecursively(Path dir) throws java.io.IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}

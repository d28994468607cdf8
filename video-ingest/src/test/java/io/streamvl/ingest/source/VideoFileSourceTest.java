package io.streamvl.ingest.source;

import static io.streamvl.ingest.source.SourceMedia.SPEC;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamvl.ingest.DecoderOptions;
import io.streamvl.kafka.DlqReason;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class VideoFileSourceTest {
    private static final long BASE = 1_700_000_000_000L;
    /** vtest.avi: 795 frames at 10 fps, so 1 fps sampling picks pts 0, 1, ..., 79 s. */
    private static final List<Long> VTEST_SAMPLED = LongStream.range(0, 80).map(s -> s * 1000).boxed().toList();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    /** Where {@link SharedSink} writers append, by sink key; lives as long as the JVM, across jobs. */
    private static final Map<String, Queue<VideoFileRecord>> SINKS = new ConcurrentHashMap<>();

    @TempDir
    Path tmp;

    @Test
    void readsEveryVideoAndReportsTheMissingOneWithoutFailingTheJob() throws Exception {
        String balle = SourceMedia.file("balle-jbart.mp4");
        VideoFileSource source = new VideoFileSource(List.of(
                VideoFile.of("vtest", SourceMedia.file("vtest.avi")),
                new VideoFile("balle", Path.of(balle).toUri().toString(), BASE),
                VideoFile.of("missing", tmp.resolve("no-such-video.mp4").toString())),
                DecoderOptions.defaults(), SPEC, 1.0);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);

        List<VideoFileRecord> out = collect(env, source);
        Map<String, List<VideoFileRecord>> byVideo = out.stream()
                .collect(Collectors.groupingBy(r -> r.videoId, Collectors.toList()));
        assertThat(byVideo).containsOnlyKeys("vtest", "balle", "missing");

        assertCompleteVideo(byVideo.get("vtest"), VTEST_SAMPLED, 795);
        List<Long> ballePts = SourceMedia.framePts(balle);
        assertThat(ballePts).hasSize(255);
        assertCompleteVideo(byVideo.get("balle"), SourceMedia.sampledEventTimes(ballePts, BASE, 1.0), 255);

        assertThat(byVideo.get("missing")).singleElement().satisfies(r -> {
            assertThat(r.kind).isEqualTo(VideoFileRecord.Kind.ERROR);
            assertThat(r.errorReason).isEqualTo(DlqReason.UNREADABLE_INPUT.code());
            assertThat(r.errorMessage).contains("no-such-video.mp4");
            assertThat(r.framesDecoded).isZero();
        });
    }

    /** Frames in order with event time = base + pts, then one END carrying the true counts. */
    private static void assertCompleteVideo(List<VideoFileRecord> records, List<Long> eventTimes, long frames) {
        VideoFileRecord end = records.get(records.size() - 1);
        assertThat(end.kind).isEqualTo(VideoFileRecord.Kind.END);
        assertThat(end.framesDecoded).isEqualTo(frames);
        assertThat(end.framesSampled).isEqualTo(eventTimes.size());
        assertThat(end.progress).isEqualTo(1.0);
        List<VideoFileRecord> frameRecords = records.subList(0, records.size() - 1);
        assertThat(frameRecords).allSatisfy(r -> {
            assertThat(r.kind).isEqualTo(VideoFileRecord.Kind.FRAME);
            assertThat(r.frame.streamId).isEqualTo(r.videoId);
            assertThat(r.frame.segmentSequence).isEqualTo(-1);
            assertThat(r.frame.width).isEqualTo(SPEC.width());
            assertThat(r.frame.jpeg).isNotEmpty();
            assertThat(r.progress).isBetween(0.0, 1.0);
        });
        assertThat(frameRecords).extracting(r -> r.frame.eventTimeMillis).containsExactlyElementsOf(eventTimes);
    }

    @Test
    void stopWithSavepointMidFileAndRestoreLosesAndRepeatsNoFrame() throws Exception {
        VideoFileSource source = new VideoFileSource(List.of(VideoFile.of("vtest", SourceMedia.file("vtest.avi"))),
                DecoderOptions.defaults(), SPEC, 1.0);
        StreamExecutionEnvironment plain = StreamExecutionEnvironment.getExecutionEnvironment();
        plain.setParallelism(1);
        List<VideoFileRecord> uninterrupted = collect(plain, source);
        assertThat(uninterrupted).hasSize(VTEST_SAMPLED.size() + 1);

        String firstKey = UUID.randomUUID().toString();
        JobClient first = startThrottled(source, firstKey, new Configuration());
        awaitRecords(firstKey, 10);
        String savepoint = first.stopWithSavepoint(false, tmp.resolve("savepoints").toUri().toString(),
                SavepointFormatType.CANONICAL).get(1, TimeUnit.MINUTES);
        List<VideoFileRecord> before = new ArrayList<>(SINKS.remove(firstKey));
        assertThat(before).as("the first run must stop mid-file").hasSizeBetween(10, VTEST_SAMPLED.size() - 1)
                .allMatch(r -> r.kind == VideoFileRecord.Kind.FRAME);

        Configuration restore = new Configuration();
        restore.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        String secondKey = UUID.randomUUID().toString();
        startThrottled(source, secondKey, restore).getJobExecutionResult().get(1, TimeUnit.MINUTES);
        List<VideoFileRecord> after = new ArrayList<>(SINKS.remove(secondKey));

        List<VideoFileRecord> union = new ArrayList<>(before);
        union.addAll(after);
        assertThat(union).containsExactlyElementsOf(uninterrupted);
    }

    private static List<VideoFileRecord> collect(StreamExecutionEnvironment env, VideoFileSource source)
            throws Exception {
        List<VideoFileRecord> out = new ArrayList<>();
        try (CloseableIterator<VideoFileRecord> it = env.fromSource(source, WatermarkStrategy.noWatermarks(),
                "videos").uid("videos").executeAndCollect()) {
            it.forEachRemaining(out::add);
        }
        return out;
    }

    /** Source, a map that slows every record down (so a stop lands mid-file), and a shared sink. */
    private static JobClient startThrottled(VideoFileSource source, String sinkKey, Configuration conf)
            throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        env.enableCheckpointing(Duration.ofMillis(500).toMillis());
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "videos").uid("videos")
                .map(new Throttle()).uid("throttle")
                .sinkTo(new SharedSink(sinkKey)).uid("sink");
        return env.executeAsync("video file source " + sinkKey);
    }

    private static void awaitRecords(String key, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (SINKS.getOrDefault(key, new ConcurrentLinkedQueue<>()).size() < n) {
            assertThat(System.nanoTime()).as("%d records within 30 s", n).isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    private static final class Throttle implements MapFunction<VideoFileRecord, VideoFileRecord> {
        @Override
        public VideoFileRecord map(VideoFileRecord r) throws InterruptedException {
            Thread.sleep(30);
            return r;
        }
    }

    private static final class SharedSink implements Sink<VideoFileRecord> {
        private final String key;

        SharedSink(String key) {
            this.key = key;
        }

        @Override
        public SinkWriter<VideoFileRecord> createWriter(WriterInitContext context) {
            Queue<VideoFileRecord> q = SINKS.computeIfAbsent(key, k -> new ConcurrentLinkedQueue<>());
            return new SinkWriter<>() {
                @Override
                public void write(VideoFileRecord r, Context c) {
                    q.add(r);
                }

                @Override
                public void flush(boolean endOfInput) {}

                @Override
                public void close() {}
            };
        }
    }
}

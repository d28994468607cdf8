package io.streamvl.jobs.ingest;

import static io.streamvl.jobs.config.StreamvlOptions.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamvl.ingest.DecodedFrame;
import io.streamvl.ingest.DecoderOptions;
import io.streamvl.ingest.RealMedia;
import io.streamvl.ingest.VideoDecoder;
import io.streamvl.ingest.VideoInput;
import io.streamvl.ingest.segment.EncodedSegment;
import io.streamvl.ingest.segment.SegmentContainer;
import io.streamvl.ingest.segment.Segmenter;
import io.streamvl.jobs.config.PipelineSettings;
import io.streamvl.jobs.testing.FlinkRestMetrics;
import io.streamvl.jobs.testing.TestJobs;
import io.streamvl.kafka.DlqReason;
import io.streamvl.kafka.DlqRecord;
import io.streamvl.kafka.IngestStatus;
import io.streamvl.kafka.Json;
import io.streamvl.kafka.SegmentPublisher;
import io.streamvl.kafka.testing.EmbeddedKafkaExtension;
import io.streamvl.kafka.testing.TopicDrain;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ingest job end to end on the embedded broker and a MiniCluster (RocksDB, exactly-once
 * sinks): a real clip (the Sintel trailer's opening, MPEG-TS from mux.js) cut into 2 s segments
 * and published as a live camera, looped so that event-time windows close.
 */
class IngestPipelineITCase {
    private static final long T0 = TestJobs.recentWindowStart(10_000L);
    private static final String STREAM = "cam-sintel";

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @RegisterExtension
    static final MiniClusterExtension FLINK = TestJobs.miniCluster();

    private static List<EncodedSegment> clip;
    /** Presentation times (µs) of every frame of each segment, from an independent decode. */
    private static List<List<Long>> clipFramePts;
    private static long clipMicros;

    @TempDir
    Path tmp;

    @BeforeAll
    static void cutClip() throws Exception {
        String file = RealMedia.path("sintel-captions.ts");
        clip = new Segmenter(2.0, SegmentContainer.MPEGTS).segmentAll(file);
        clipMicros = clip.get(clip.size() - 1).endPtsMicros();
        clipFramePts = new ArrayList<>();
        for (EncodedSegment s : clip) {
            List<Long> pts = new ArrayList<>();
            try (VideoDecoder d = VideoDecoder.open(VideoInput.ofBytes(s.data(), "mpegts"), DecoderOptions.defaults())) {
                for (DecodedFrame f = d.next(); f != null; f = d.next()) {
                    pts.add(f.ptsMicros());
                }
            }
            clipFramePts.add(pts);
        }
        assertThat(clipFramePts.stream().mapToInt(List::size).sum()).isEqualTo(240);
    }

    /** A published segment: where it starts in event time and which frames it holds. */
    private record Published(long sequence, long startMillis, List<Long> framePts) {
        List<Long> frameTimes() {
            return framePts.stream().map(p -> Math.floorDiv(startMillis * 1000 + p, 1000)).collect(Collectors.toList());
        }
    }

    private static Configuration config(String run) throws Exception {
        return TestJobs.config(KAFKA, run, Map.of());
    }

    private JobClient start(Configuration conf, String restoreFrom) throws Exception {
        return TestJobs.start(conf, tmp, restoreFrom);
    }

    /** Publishes loop {@code loop} of the clip, numbering its segments on from earlier loops (plus an offset). */
    private static List<Published> publishLoop(int loop, long seqOffset, SegmentPublisher publisher) throws Exception {
        List<Published> out = new ArrayList<>();
        for (int i = 0; i < clip.size(); i++) {
            EncodedSegment s = clip.get(i);
            long seq = (long) loop * clip.size() + i + seqOffset;
            long start = T0 + (loop * clipMicros + s.startPtsMicros()) / 1000;
            publisher.publish(STREAM, seq, start, s.container(), s.data());
            out.add(new Published(seq, start, clipFramePts.get(i)));
        }
        return out;
    }

    private static SegmentPublisher publisher(Configuration conf) {
        return new SegmentPublisher(KAFKA.bootstrapServers(), conf.get(TOPIC_SEGMENTS), conf.get(MAX_MESSAGE_BYTES));
    }

    /** First frame of each 1 s tick, the sampling rule at 1 fps. */
    private static List<Long> sampled(List<Published> published) {
        List<Long> out = new ArrayList<>();
        long lastTick = Long.MIN_VALUE;
        for (Published p : published) {
            for (long t : p.frameTimes()) {
                long tick = Math.floorDiv(t, 1000);
                if (tick > lastTick) {
                    out.add(t);
                    lastTick = tick;
                }
            }
        }
        return out;
    }

    private static long countIn(List<Long> times, long from, long to) {
        return times.stream().filter(t -> t >= from && t < to).count();
    }

    private static List<IngestStatus> statuses(Configuration conf) throws Exception {
        List<IngestStatus> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : TopicDrain.drain(KAFKA.bootstrapServers(), conf.get(TOPIC_EVENTS), true,
                Duration.ofSeconds(30))) {
            out.add(Json.read(r.value(), IngestStatus.class));
        }
        return out;
    }

    private static List<IngestStatus> awaitStatusFor(Configuration conf, long windowStart) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            List<IngestStatus> all = statuses(conf);
            if (all.stream().anyMatch(s -> s.windowStartMillis == windowStart)) {
                return all;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("no status for the window at " + windowStart + " within 120 s; got " + statuses(conf));
    }

    private String stop(JobClient job) throws Exception {
        return TestJobs.stop(job, tmp);
    }

    @Test
    void stopWithSavepointMidStreamAndRestoreLosesAndRepeatsNoFrame() throws Exception {
        Configuration conf = config("it-" + UUID.randomUUID());
        List<Published> published = new ArrayList<>();
        try (SegmentPublisher publisher = publisher(conf)) {
            for (int loop = 0; loop < 3; loop++) {
                published.addAll(publishLoop(loop, 0, publisher));
            }
        }
        JobClient first = start(conf, null);
        awaitStatusFor(conf, T0);
        String savepoint = stop(first);

        try (SegmentPublisher publisher = publisher(conf)) {
            for (int loop = 3; loop < 5; loop++) {
                published.addAll(publishLoop(loop, 0, publisher));
            }
        }
        JobClient second = start(conf, savepoint);
        List<IngestStatus> statuses = awaitStatusFor(conf, T0 + 20_000);
        String end = stop(second);

        List<Long> expected = sampled(published);
        List<Long> allFrames = published.stream().flatMap(p -> p.frameTimes().stream()).collect(Collectors.toList());

        // the video memory holds a gap-free, repeat-free prefix of the expected frames, covering all closed windows
        List<Long> memory = VideoMemoryContents.read(end, PipelineSettings.of(conf).ingest()).get(STREAM);
        assertThat(memory).isNotNull();
        assertThat(memory.size()).isGreaterThanOrEqualTo((int) countIn(expected, Long.MIN_VALUE, T0 + 30_000));
        assertThat(memory).containsExactlyElementsOf(expected.subList(0, memory.size()));

        // one status per closed window, counting every frame once: a replayed segment would double them
        for (long w = T0; w < T0 + 30_000; w += 10_000) {
            long windowStart = w;
            List<IngestStatus> forWindow = statuses.stream().filter(s -> s.windowStartMillis == windowStart)
                    .collect(Collectors.toList());
            assertThat(forWindow).as("statuses of window %d", windowStart).hasSize(1);
            IngestStatus s = forWindow.get(0);
            assertThat(s.streamId).isEqualTo(STREAM);
            assertThat(s.framesDecoded).isEqualTo(countIn(allFrames, windowStart, windowStart + 10_000));
            assertThat(s.framesSampled).isEqualTo(countIn(expected, windowStart, windowStart + 10_000));
            assertThat(s.decodeErrors).isZero();
            assertThat(s.sequenceGaps).isZero();
            assertThat(s.memoryFrames).isPositive();
        }
        assertThat(TopicDrain.drain(KAFKA.bootstrapServers(), conf.get(TOPIC_DLQ), true, Duration.ofSeconds(10))).isEmpty();
    }

    @Test
    void corruptSegmentInTheMiddleGoesToTheDlqAndTheRestOfTheStreamIsIntact(@InjectClusterClient ClusterClient<?> client)
            throws Exception {
        Configuration conf = config("it-" + UUID.randomUUID());
        List<Published> published = new ArrayList<>();
        byte[] garbage = new byte[40_000];
        new java.util.Random(42).nextBytes(garbage);
        try (SegmentPublisher publisher = publisher(conf)) {
            List<Published> loop0 = publishLoop(0, 0, publisher);
            published.addAll(loop0);
            // a damaged segment arrives between two loops, with valid headers
            publisher.publish(STREAM, clip.size(), T0 + clipMicros / 1000, "mpegts", garbage);
            published.addAll(publishLoop(1, 1, publisher));
            published.addAll(publishLoop(2, 1, publisher));
        }
        JobClient job = start(conf, null);
        List<IngestStatus> statuses = awaitStatusFor(conf, T0);
        FlinkRestMetrics rest = new FlinkRestMetrics(client.getWebInterfaceURL());
        // the DLQ sink also waits for the caption operator's checkpoint barriers, so it may commit a checkpoint later
        List<DlqRecord> dlq = TestJobs.await(KAFKA, conf.get(TOPIC_DLQ), DlqRecord.class, Duration.ofSeconds(60),
                records -> !records.isEmpty(), () -> rest.describe(job.getJobID()));
        Map<String, Double> metrics = rest.awaitOperatorMetrics(job.getJobID(), "decode-and-sample",
                "decode-and-sample.dlqRecords");
        job.cancel().get(1, TimeUnit.MINUTES);
        assertThat(metrics).containsEntry("decode-and-sample.dlqRecords", 1.0)
                .containsEntry("decode-and-sample.dlqReason.corrupt-segment.dlqRecords", 1.0)
                .containsEntry("decode-and-sample.decodeErrors", 1.0)
                .containsKey("decode-and-sample.stream." + STREAM + ".framesSampled")
                .containsKey("decode-and-sample.stream." + STREAM + ".eventTimeLagMs");
        assertThat(metrics.get("decode-and-sample.framesDecoded")).isGreaterThanOrEqualTo(240.0);

        assertThat(TopicDrain.drain(KAFKA.bootstrapServers(), conf.get(TOPIC_DLQ), true, Duration.ofSeconds(30)))
                .singleElement().satisfies(r -> assertThat(new String(r.key())).isEqualTo(STREAM));
        assertThat(dlq).hasSize(1);
        assertThat(dlq.get(0).reason).isEqualTo(DlqReason.CORRUPT_SEGMENT.code());
        assertThat(dlq.get(0).sequence).isEqualTo((long) clip.size());
        assertThat(dlq.get(0).payloadBytes).isEqualTo(garbage.length);

        List<Long> expected = sampled(published);
        List<Long> allFrames = published.stream().flatMap(p -> p.frameTimes().stream()).collect(Collectors.toList());
        IngestStatus first = statuses.stream().filter(s -> s.windowStartMillis == T0).findFirst().orElseThrow();
        assertThat(first.framesDecoded).isEqualTo(countIn(allFrames, T0, T0 + 10_000));
        assertThat(first.framesSampled).isEqualTo(countIn(expected, T0, T0 + 10_000));
    }
}

package io.streamvl.ingest.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamvl.ingest.RealMedia;
import com.sun.net.httpserver.HttpServer;
import io.streamvl.kafka.Segment;
import io.streamvl.kafka.SegmentDeserializationSchema;
import io.streamvl.kafka.SegmentPublisher;
import io.streamvl.kafka.testing.EmbeddedKafkaExtension;
import io.streamvl.kafka.testing.TopicDrain;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.bytedeco.ffmpeg.global.avutil;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class SegmentProducerTest {
    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();
    private static final long START = 1_700_000_000_000L;
    private static final Clock FIXED = Clock.fixed(Instant.ofEpochMilli(START), ZoneOffset.UTC);

    @BeforeAll
    static void quietFfmpeg() {
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
    }

    @Test
    void publishesEverySegmentWithKeyAndHeaders() throws Exception {
        KAFKA.createTopic("produce-all", 3);
        String input = RealMedia.path("vtest.avi");
        List<EncodedSegment> expected = new Segmenter(2.0, SegmentContainer.MPEGTS).segmentAll(input);

        long published;
        try (SegmentPublisher publisher = publisher("produce-all")) {
            published = new SegmentProducer(publisher, SegmentProducer.Options.of(input, "cam-vtest"), null, FIXED).run();
        }

        assertThat(published).isEqualTo(expected.size());
        List<Segment> segments = drain("produce-all");
        assertThat(segments).hasSize(expected.size());
        for (int k = 0; k < segments.size(); k++) {
            Segment s = segments.get(k);
            assertThat(s.isValid()).as(s.invalidReason).isTrue();
            assertThat(s.streamId).isEqualTo("cam-vtest");
            assertThat(s.sequence).isEqualTo(k);
            assertThat(s.startMillis).isEqualTo(START + expected.get(k).startPtsMicros() / 1000);
            assertThat(s.container).isEqualTo("mpegts");
            assertThat(s.data).hasSameSizeAs(expected.get(k).data());
        }
        // One key, so one partition and the segments in order.
        assertThat(segments).extracting(s -> s.sourcePartition).containsOnly(segments.get(0).sourcePartition);
    }

    @Test
    void aLiveCameraThatDropsItsConnectionIsReconnectedAndTheStreamGoesOn() throws Exception {
        KAFKA.createTopic("produce-live", 1);
        byte[] clip = Files.readAllBytes(Path.of(RealMedia.path("sintel-captions.ts")));
        AtomicInteger requests = new AtomicInteger();
        HttpServer server = HttpServer.create(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/cam.ts", exchange -> {
            // the first connection drops half-way through the clip
            boolean first = requests.incrementAndGet() == 1;
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(clip, 0, first ? clip.length / 2 : clip.length);
            } catch (IOException producerWentAway) {
                // expected when the producer is closed mid-response
            }
        });
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/cam.ts";
        List<Long> sequences = new ArrayList<>();
        List<Long> starts = new ArrayList<>();
        try (SegmentPublisher publisher = publisher("produce-live")) {
            SegmentProducer[] producer = new SegmentProducer[1];
            producer[0] = new SegmentProducer(publisher, SegmentProducer.Options.of(url, "cam-live"),
                    (segment, seq, startMillis, meta) -> {
                        sequences.add(seq);
                        starts.add(startMillis);
                        if (requests.get() >= 3) {
                            producer[0].close();
                        }
                    });
            producer[0].run();
        } finally {
            server.stop(0);
        }
        assertThat(requests.get()).isGreaterThanOrEqualTo(3);
        assertThat(sequences).hasSizeGreaterThanOrEqualTo(3);
        for (int i = 0; i < sequences.size(); i++) {
            assertThat(sequences.get(i)).isEqualTo(i);
        }
        assertThat(starts).isSorted().doesNotHaveDuplicates();
        assertThat(drain("produce-live")).hasSize(sequences.size());
    }

    @Test
    void aCameraThatCannotBeReachedFailsBeforePublishing() throws Exception {
        KAFKA.createTopic("produce-unreachable", 1);
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        try (SegmentPublisher publisher = publisher("produce-unreachable")) {
            SegmentProducer producer = new SegmentProducer(publisher,
                    SegmentProducer.Options.of("http://127.0.0.1:" + port + "/cam.ts", "cam-x"), null);
            assertThatThrownBy(producer::run).isInstanceOf(IOException.class).hasMessageContaining("127.0.0.1:" + port);
        }
        assertThat(drain("produce-unreachable")).isEmpty();
    }

    @Test
    void loopKeepsSequenceAndEventTimeIncreasingUntilClosed() throws Exception {
        KAFKA.createTopic("produce-loop", 1);
        String input = RealMedia.path("sintel-captions.ts");
        List<Long> starts = new ArrayList<>();
        SegmentProducer.Options options = new SegmentProducer.Options(input, "cam-loop", false, true, 2.0,
                SegmentContainer.MPEGTS);
        try (SegmentPublisher publisher = publisher("produce-loop")) {
            SegmentProducer[] producer = new SegmentProducer[1];
            producer[0] = new SegmentProducer(publisher, options, (segment, seq, startMillis, meta) -> {
                starts.add(startMillis);
                if (seq == 4) {
                    producer[0].close();
                }
            }, FIXED);
            assertThat(producer[0].run()).isEqualTo(5);
        }
        assertThat(starts).isSorted().doesNotHaveDuplicates();
        // sintel-captions.ts is 10 s with keyframes every 5 s: the third segment starts the second loop.
        assertThat(starts.get(2)).isEqualTo(START + 10_000);
        assertThat(drain("produce-loop")).extracting(s -> s.sequence).containsExactly(0L, 1L, 2L, 3L, 4L);
    }

    @Test
    void realtimePublishesEachSegmentOnlyAfterItsEndHasPassed() throws Exception {
        KAFKA.createTopic("produce-realtime", 1);
        String input = RealMedia.path("vtest.avi");
        SegmentProducer.Options options = new SegmentProducer.Options(input, "cam-live", true, false, 1.0,
                SegmentContainer.MPEGTS);
        List<long[]> publishedAt = new ArrayList<>();
        long t0 = System.currentTimeMillis();
        try (SegmentPublisher publisher = publisher("produce-realtime")) {
            SegmentProducer[] producer = new SegmentProducer[1];
            producer[0] = new SegmentProducer(publisher, options, (segment, seq, startMillis, meta) -> {
                publishedAt.add(new long[] {System.currentTimeMillis(), segment.endPtsMicros() / 1000});
                if (seq == 2) {
                    producer[0].close();
                }
            });
            assertThat(producer[0].run()).isEqualTo(3);
        }
        for (long[] p : publishedAt) {
            assertThat(p[0] - t0).isGreaterThanOrEqualTo(p[1]);
        }
        assertThat(System.currentTimeMillis() - t0).isBetween(3_000L, 10_000L);
    }

    @Test
    void missingInputFailsBeforePublishingAnything(@TempDir Path dir) throws Exception {
        KAFKA.createTopic("produce-missing", 1);
        try (SegmentPublisher publisher = publisher("produce-missing")) {
            SegmentProducer producer = new SegmentProducer(publisher,
                    SegmentProducer.Options.of(dir.resolve("missing.ts").toString(), "cam-x"), null);
            assertThatThrownBy(producer::run).isInstanceOf(FileNotFoundException.class)
                    .hasMessageContaining("input video not found");
        }
        assertThat(drain("produce-missing")).isEmpty();
    }

    private static SegmentPublisher publisher(String topic) {
        return new SegmentPublisher(KAFKA.bootstrapServers(), topic, KAFKA.maxMessageBytes());
    }

    private static List<Segment> drain(String topic) {
        SegmentDeserializationSchema schema = new SegmentDeserializationSchema(KAFKA.maxMessageBytes());
        List<Segment> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : TopicDrain.drain(KAFKA.bootstrapServers(), topic, true,
                Duration.ofSeconds(30))) {
            schema.deserialize(r, new org.apache.flink.util.Collector<>() {
                @Override
                public void collect(Segment record) {
                    out.add(record);
                }

                @Override
                public void close() {}
            });
        }
        return out;
    }
}

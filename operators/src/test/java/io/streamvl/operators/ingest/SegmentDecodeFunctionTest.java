package io.streamvl.operators.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamvl.ingest.SampledFrame;
import io.streamvl.kafka.DlqReason;
import io.streamvl.kafka.DlqRecord;
import io.streamvl.kafka.IngestStatus;
import io.streamvl.kafka.Segment;
import io.streamvl.operators.clock.StreamClockSettings;
import io.streamvl.operators.testing.Harnesses;
import io.streamvl.operators.testing.SyntheticSegments;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.metrics.util.InterceptingOperatorMetricGroup;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SegmentDecodeFunctionTest {
    private static final long T0 = 1_700_000_000_000L; // a multiple of the 10 s window
    private static final long W = 10_000;
    private static final int FPS = 10;
    private static final Duration IDLE = StreamClockSettings.DEFAULT_IDLE_TIMEOUT;
    private static final List<byte[]> SEGMENTS = new ArrayList<>();

    @BeforeAll
    static void encodeSegments() throws Exception {
        for (int i = 0; i < 4; i++) {
            SEGMENTS.add(SyntheticSegments.mpegts(2 * FPS, FPS, i));
        }
    }

    private static Segment segment(int seq) {
        return segment("cam-1", seq, T0);
    }

    /** The stream's 2 s segment {@code seq} of a stream starting at {@code t0}: 20 frames at 10 fps. */
    private static Segment segment(String stream, int seq, long t0) {
        Segment s = new Segment(stream, seq, t0 + seq * 2000L, "mpegts", SEGMENTS.get(seq % SEGMENTS.size()));
        s.sourceTopic = "streamvl.segments";
        s.sourceOffset = seq;
        return s;
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, Segment, SampledFrame> harness(String backend)
            throws Exception {
        return harness(backend, StreamClockSettings.defaults());
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, Segment, SampledFrame> harness(String backend,
            StreamClockSettings statusClock) throws Exception {
        return harness(backend, statusClock, new InterceptingOperatorMetricGroup());
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, Segment, SampledFrame> harness(String backend,
            StreamClockSettings statusClock, InterceptingOperatorMetricGroup metrics) throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new SegmentDecodeFunction(
                        Harnesses.settings(statusClock, 100, Duration.ofHours(1)))),
                (Segment s) -> s.streamId, Types.STRING, Harnesses.recordingMetrics(metrics));
        Harnesses.useBackend(h, backend);
        return h;
    }

    private static void send(KeyedOneInputStreamOperatorTestHarness<String, Segment, ?> h, Segment s)
            throws Exception {
        h.processElement(new StreamRecord<>(s, s.startMillis));
    }

    /** Every status record so far. */
    private static List<IngestStatus> statuses(KeyedOneInputStreamOperatorTestHarness<?, ?, ?> h) {
        var records = h.getSideOutput(IngestOutputs.STATUS);
        return records == null ? List.of() : records.stream().map(StreamRecord::getValue).toList();
    }

    private static List<String> described(List<IngestStatus> statuses) {
        return statuses.stream().map(s -> s.streamId + "@" + (s.windowStartMillis - T0)).toList();
    }

    /** Processing time passes without a segment. */
    private static void quietFor(KeyedOneInputStreamOperatorTestHarness<?, ?, ?> h, Duration d) throws Exception {
        h.setProcessingTime(h.getProcessingTime() + d.toMillis());
    }

    private static List<Long> times(List<SampledFrame> frames) {
        return frames.stream().map(f -> f.eventTimeMillis).collect(Collectors.toList());
    }

    private static List<Long> expectedTicks(int fromSecond, int toSecondExclusive) {
        List<Long> t = new ArrayList<>();
        for (int s = fromSecond; s < toSecondExclusive; s++) {
            t.add(T0 + s * 1000L);
        }
        return t;
    }

    @ParameterizedTest
    @ValueSource(strings = {Harnesses.HEAP, Harnesses.ROCKSDB})
    void samplesOneFramePerSecondAcrossSegmentBoundaries(String backend) throws Exception {
        try (var h = harness(backend)) {
            h.open();
            for (int seq = 0; seq < 3; seq++) {
                h.processElement(new StreamRecord<>(segment(seq), segment(seq).startMillis));
            }
            List<SampledFrame> frames = h.extractOutputValues();
            assertThat(times(frames)).containsExactlyElementsOf(expectedTicks(0, 6));
            assertThat(frames).allSatisfy(f -> {
                assertThat(f.streamId).isEqualTo("cam-1");
                assertThat(f.width).isEqualTo(64);
                assertThat(f.sourceWidth).isEqualTo(160);
                assertThat(f.jpeg).isNotEmpty();
            });
            assertThat(frames.get(2).segmentSequence).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {Harnesses.HEAP, Harnesses.ROCKSDB})
    void snapshotAndRestoreNeitherLosesNorRepeatsFrames(String backend) throws Exception {
        OperatorSubtaskState snapshot;
        List<SampledFrame> before;
        try (var h = harness(backend)) {
            h.open();
            h.processElement(new StreamRecord<>(segment(0), segment(0).startMillis));
            h.processElement(new StreamRecord<>(segment(1), segment(1).startMillis));
            snapshot = h.snapshot(1L, 1L);
            before = h.extractOutputValues();
        }
        try (var h = harness(backend)) {
            h.setup();
            h.initializeState(snapshot);
            h.open();
            // the segment after the snapshot, then a replay of the last one before it (a producer retry)
            h.processElement(new StreamRecord<>(segment(2), segment(2).startMillis));
            h.processElement(new StreamRecord<>(segment(1), segment(1).startMillis));
            List<SampledFrame> all = new ArrayList<>(before);
            all.addAll(h.extractOutputValues());
            assertThat(times(all)).containsExactlyElementsOf(expectedTicks(0, 6));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {Harnesses.HEAP, Harnesses.ROCKSDB})
    void corruptSegmentGoesToDlqAndTheStreamGoesOn(String backend) throws Exception {
        try (var h = harness(backend)) {
            h.open();
            h.processElement(new StreamRecord<>(segment(0), segment(0).startMillis));
            byte[] garbage = new byte[5000];
            new java.util.Random(7).nextBytes(garbage);
            Segment bad = new Segment("cam-1", 1, T0 + 2000, "mpegts", garbage);
            h.processElement(new StreamRecord<>(bad, bad.startMillis));
            h.processElement(new StreamRecord<>(segment(2), segment(2).startMillis));

            List<DlqRecord> dlq = h.getSideOutput(IngestOutputs.DLQ).stream().map(StreamRecord::getValue)
                    .collect(Collectors.toList());
            assertThat(dlq).hasSize(1);
            assertThat(dlq.get(0).reason).isIn(DlqReason.CORRUPT_SEGMENT.code(), DlqReason.EMPTY_SEGMENT.code());
            assertThat(dlq.get(0).sequence).isEqualTo(1L);
            assertThat(dlq.get(0).key).isEqualTo("cam-1");
            assertThat(dlq.get(0).payloadBytes).isEqualTo(5000);
            assertThat(dlq.get(0).message).isNotBlank();

            List<Long> expected = new ArrayList<>(expectedTicks(0, 2));
            expected.addAll(expectedTicks(4, 6));
            assertThat(times(h.extractOutputValues())).containsExactlyElementsOf(expected);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {Harnesses.HEAP, Harnesses.ROCKSDB})
    void invalidAndOversizedSegmentsAreRejectedWithTheirReason(String backend) throws Exception {
        try (var h = harness(backend)) {
            h.open();
            Segment noHeaders = new Segment("cam-1", 0, 0, "mpegts", new byte[] {1, 2, 3});
            noHeaders.invalidReason = DlqReason.BAD_HEADERS.code() + ": missing header streamvl.seq";
            h.processElement(new StreamRecord<>(noHeaders, 0L));
            Segment huge = new Segment("cam-1", 1, T0, "mpegts", new byte[(8 << 20) + 1]);
            h.processElement(new StreamRecord<>(huge, T0));
            List<String> reasons = h.getSideOutput(IngestOutputs.DLQ).stream().map(r -> r.getValue().reason)
                    .collect(Collectors.toList());
            assertThat(reasons).containsExactly(DlqReason.BAD_HEADERS.code(), DlqReason.OVERSIZED.code());
            assertThat(h.extractOutputValues()).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {Harnesses.HEAP, Harnesses.ROCKSDB})
    void emitsOneStatusPerWindowWhenItsStreamsClockPassesIt(String backend) throws Exception {
        try (var h = harness(backend, StreamClockSettings.defaults().withOutOfOrderness(Duration.ofSeconds(1)))) {
            h.open();
            // 2 s segments 0, 1, 3 and 4 (2 missing) of the first window
            for (int seq : new int[] {0, 1, 3, 4}) {
                send(h, segment(seq));
            }
            h.processWatermark(T0 + 10 * W);
            assertThat(statuses(h)).as("the job's watermark closes no window; the clock is at 8.9 s").isEmpty();

            send(h, segment(5)); // frames up to 11.9 s: the clock, 10.9 s, passes the window's end
            assertThat(statuses(h)).singleElement().satisfies(s -> {
                assertThat(s.streamId).isEqualTo("cam-1");
                assertThat(s.windowStartMillis).isEqualTo(T0);
                assertThat(s.windowEndMillis).isEqualTo(T0 + W);
                assertThat(s.segments).isEqualTo(4);
                assertThat(s.framesDecoded).isEqualTo(80);
                assertThat(s.framesSampled).isEqualTo(8);
                assertThat(s.sequenceGaps).isEqualTo(1);
                assertThat(s.decodeErrors).isZero();
                assertThat(s.newestFrameMillis).isEqualTo(T0 + 8000 + 1900);
            });
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {Harnesses.HEAP, Harnesses.ROCKSDB})
    void aStreamThatPausesWhileAnotherIsFarAheadGetsOneStatusPerWindow(String backend) throws Exception {
        long ahead = T0 + 100 * W;
        try (var h = harness(backend)) {
            h.open();
            h.setProcessingTime(0);
            send(h, segment("cam-fast", 0, ahead));
            send(h, segment("cam-slow", 0, T0));
            send(h, segment("cam-slow", 1, T0));
            // cam-slow pauses mid-window, shorter than the idle timeout; cam-fast and the watermark go on
            quietFor(h, IDLE.minusSeconds(1));
            for (int seq = 1; seq <= 5; seq++) {
                send(h, segment("cam-fast", seq, ahead));
            }
            h.processWatermark(ahead + W);
            assertThat(described(statuses(h))).containsExactly("cam-fast@" + 100 * W);

            for (int seq = 2; seq <= 5; seq++) {
                send(h, segment("cam-slow", seq, T0));
            }
            List<IngestStatus> slow = statuses(h).stream().filter(s -> s.streamId.equals("cam-slow")).toList();
            assertThat(slow).singleElement().satisfies(s -> {
                assertThat(s.windowStartMillis).isEqualTo(T0);
                assertThat(s.segments).isEqualTo(5);
                assertThat(s.framesDecoded).isEqualTo(100);
                assertThat(s.framesSampled).isEqualTo(10);
            });
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {Harnesses.HEAP, Harnesses.ROCKSDB})
    void aStoppedStreamsOpenWindowIsReportedAfterTheIdleTimeoutAndOnlyThen(String backend) throws Exception {
        var metrics = new InterceptingOperatorMetricGroup();
        try (var h = harness(backend, StreamClockSettings.defaults(), metrics)) {
            h.open();
            h.setProcessingTime(0);
            send(h, segment("cam-1", 0, T0));
            quietFor(h, IDLE.dividedBy(2));
            send(h, segment("cam-1", 1, T0));
            send(h, segment("cam-2", 0, T0));
            quietFor(h, IDLE.dividedBy(2));
            assertThat(statuses(h)).as("cam-1 sent a segment half an idle timeout ago").isEmpty();
            quietFor(h, IDLE.dividedBy(2).minusMillis(1));
            assertThat(statuses(h)).isEmpty();

            quietFor(h, Duration.ofMillis(1));
            assertThat(described(statuses(h))).containsExactlyInAnyOrder("cam-1@0", "cam-2@0");
            assertThat(statuses(h)).allSatisfy(s -> assertThat(s.segments)
                    .isEqualTo(s.streamId.equals("cam-1") ? 2 : 1));
            assertThat(h.numProcessingTimeTimers()).as("no check is left for a stream without windows").isZero();

            // the camera resumes within the window it was reported for: frames go on, counts are in no record
            send(h, segment("cam-1", 2, T0));
            send(h, segment("cam-1", 5, T0));
            assertThat(h.extractOutputValues()).extracting(f -> f.eventTimeMillis).contains(T0 + 4000, T0 + 10_000);
            assertThat(((Counter) metrics.get("statusLateSegments")).getCount())
                    .as("segment 2, of the reported window").isOne();
            quietFor(h, IDLE);
            assertThat(described(statuses(h))).containsExactlyInAnyOrder("cam-1@0", "cam-2@0", "cam-1@" + W);
            assertThat(statuses(h).get(2).segments).isOne();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {Harnesses.HEAP, Harnesses.ROCKSDB})
    void aRestoredStreamKeepsItsClockAndOpenWindowsAndReportsEachWindowOnce(String backend) throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness(backend)) {
            h.open();
            h.setProcessingTime(0);
            for (int seq = 0; seq <= 6; seq++) {
                send(h, segment(seq));
            }
            assertThat(described(statuses(h))).as("the second window is open").containsExactly("cam-1@0");
            snapshot = h.snapshot(1L, 1L);
        }
        try (var h = harness(backend)) {
            h.setup();
            h.initializeState(snapshot);
            h.open();
            h.setProcessingTime(10 * IDLE.toMillis()); // restored long after the stream's last segment
            assertThat(statuses(h)).as("its segments may still be waiting in Kafka").isEmpty();

            send(h, segment(4)); // a producer's retry of a segment of the window reported before the snapshot
            send(h, segment(7));
            send(h, segment(8));
            send(h, segment(9));
            assertThat(statuses(h)).isEmpty();
            quietFor(h, IDLE);
            assertThat(described(statuses(h))).containsExactly("cam-1@" + W);
            assertThat(statuses(h).get(0).segments).as("two before the snapshot, three after").isEqualTo(5);
            assertThat(statuses(h).get(0).framesSampled).isEqualTo(10);
        }
    }

    /**
     * The state the version that closed status windows on the job's watermark left behind: each open window's
     * counters and an event-time timer at its end, and no stream clock.
     */
    static final class WatermarkEraDecode extends KeyedProcessFunction<String, Segment, SampledFrame> {
        private transient MapState<Long, WindowStats> windowStats;

        @Override
        public void open(OpenContext ctx) {
            windowStats = getRuntimeContext().getMapState(new MapStateDescriptor<>(
                    "window-stats", Types.LONG, TypeInformation.of(WindowStats.class)));
        }

        @Override
        public void processElement(Segment s, Context ctx, Collector<SampledFrame> out) throws Exception {
            StreamClockSettings clock = StreamClockSettings.defaults();
            long windowStart = clock.windowStartOf(s.startMillis);
            WindowStats stats = windowStats.contains(windowStart) ? windowStats.get(windowStart) : new WindowStats();
            stats.segments++;
            windowStats.put(windowStart, stats);
            ctx.timerService().registerEventTimeTimer(clock.windowEndOf(windowStart) - 1);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {Harnesses.HEAP, Harnesses.ROCKSDB})
    void aWindowRestoredFromTheWatermarkEraIsReportedWhenItsStreamStaysQuiet(String backend) throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new WatermarkEraDecode()),
                (Segment s) -> s.streamId, Types.STRING)) {
            Harnesses.useBackend(h, backend);
            h.open();
            send(h, segment(0));
            send(h, segment(1));
            snapshot = h.snapshot(1L, 1L);
        }
        try (var h = harness(backend)) {
            h.setup();
            h.initializeState(snapshot);
            h.open();
            h.setProcessingTime(0);
            h.processWatermark(T0 + W); // the other cameras move the job's watermark on; cam-1 never sends again
            assertThat(statuses(h)).as("cam-1's segments may still be waiting in Kafka").isEmpty();
            quietFor(h, IDLE);
            assertThat(described(statuses(h))).containsExactly("cam-1@0");
            assertThat(statuses(h).get(0).segments).isEqualTo(2);
            quietFor(h, IDLE.multipliedBy(10));
            assertThat(statuses(h)).hasSize(1);
        }
    }
}

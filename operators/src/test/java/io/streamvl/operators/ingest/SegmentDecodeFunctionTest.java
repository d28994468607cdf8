package io.streamvl.operators.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamvl.ingest.SampledFrame;
import io.streamvl.kafka.DlqReason;
import io.streamvl.kafka.DlqRecord;
import io.streamvl.kafka.IngestStatus;
import io.streamvl.kafka.Segment;
import io.streamvl.operators.testing.Harnesses;
import io.streamvl.operators.testing.SyntheticSegments;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SegmentDecodeFunctionTest {
    private static final long T0 = 1_700_000_000_000L;
    private static final int FPS = 10;
    private static final List<byte[]> SEGMENTS = new ArrayList<>();

    @BeforeAll
    static void encodeSegments() throws Exception {
        for (int i = 0; i < 4; i++) {
            SEGMENTS.add(SyntheticSegments.mpegts(2 * FPS, FPS, i));
        }
    }

    private static Segment segment(int seq) {
        Segment s = new Segment("cam-1", seq, T0 + seq * 2000L, "mpegts", SEGMENTS.get(seq));
        s.sourceTopic = "streamvl.segments";
        s.sourceOffset = seq;
        return s;
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, Segment, SampledFrame> harness(String backend)
            throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new SegmentDecodeFunction(Harnesses.settings(100, Duration.ofHours(1)))),
                (Segment s) -> s.streamId, Types.STRING);
        Harnesses.useBackend(h, backend);
        return h;
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
    void emitsOneStatusPerWindowWhenTheWatermarkPassesIt(String backend) throws Exception {
        try (var h = harness(backend)) {
            h.open();
            // 2 s segments 0,1,3 (2 missing); T0 is on a 10 s boundary, so all fall in the first window
            for (int seq : new int[] {0, 1, 3}) {
                h.processElement(new StreamRecord<>(segment(seq), segment(seq).startMillis));
            }
            h.processWatermark(T0 + 9_998);
            assertThat(h.getSideOutput(IngestOutputs.STATUS)).isNullOrEmpty();
            h.processWatermark(T0 + 9_999);
            List<IngestStatus> statuses = h.getSideOutput(IngestOutputs.STATUS).stream()
                    .map(StreamRecord::getValue).collect(Collectors.toList());
            assertThat(statuses).hasSize(1);
            IngestStatus s = statuses.get(0);
            assertThat(s.streamId).isEqualTo("cam-1");
            assertThat(s.windowStartMillis).isEqualTo(T0);
            assertThat(s.windowEndMillis).isEqualTo(T0 + 10_000);
            assertThat(s.segments).isEqualTo(3);
            assertThat(s.framesDecoded).isEqualTo(60);
            assertThat(s.framesSampled).isEqualTo(6);
            assertThat(s.sequenceGaps).isEqualTo(1);
            assertThat(s.decodeErrors).isZero();
            assertThat(s.newestFrameMillis).isEqualTo(T0 + 6000 + 1900);
        }
    }

}

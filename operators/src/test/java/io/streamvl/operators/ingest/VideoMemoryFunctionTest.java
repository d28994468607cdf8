package io.streamvl.operators.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamvl.ingest.SampledFrame;
import io.streamvl.kafka.Answer;
import io.streamvl.kafka.AnswerStatus;
import io.streamvl.kafka.IngestStatus;
import io.streamvl.kafka.Query;
import io.streamvl.kafka.QueryProgress;
import io.streamvl.models.llavamini.EncodedFrame;
import io.streamvl.operators.vision.FusedTokens;
import io.streamvl.operators.query.QueryFrame;
import io.streamvl.operators.query.QueryFrames;
import io.streamvl.operators.query.QueryOutputs;
import io.streamvl.operators.query.QueryRequest;
import io.streamvl.operators.query.QuerySettings;
import io.streamvl.operators.testing.Harnesses;
import io.streamvl.operators.vision.EncodedFrameRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.types.PojoTestUtils;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VideoMemoryFunctionTest {
    private static final long T0 = 1_700_000_000_000L;
    /** Z' of the test frames: C² = 1 token of width D = 8. */
    private static final int D = 8;

    private static KeyedTwoInputStreamOperatorTestHarness<String, MemoryFrame, MemoryInput, IngestStatus> harness(
            String backend, int maxFrames, Duration retention) throws Exception {
        return harness(backend, maxFrames, retention, QuerySettings.defaults());
    }

    private static KeyedTwoInputStreamOperatorTestHarness<String, MemoryFrame, MemoryInput, IngestStatus> harness(
            String backend, int maxFrames, Duration retention, QuerySettings query) throws Exception {
        var h = new KeyedTwoInputStreamOperatorTestHarness<>(
                new KeyedCoProcessOperator<>(new VideoMemoryFunction(Harnesses.settings(maxFrames, retention), query)),
                (MemoryFrame r) -> r.frame.streamId, MemoryInput::streamId, Types.STRING);
        Harnesses.useBackend(h, backend);
        return h;
    }

    private static SampledFrame sampled(String stream, long t, int bytes) {
        SampledFrame f = new SampledFrame();
        f.streamId = stream;
        f.eventTimeMillis = t;
        f.width = 64;
        f.height = 64;
        f.jpeg = new byte[bytes];
        Arrays.fill(f.jpeg, (byte) t);
        return f;
    }

    /** Z' of the frame at {@code t}: distinct per frame, so a test can tell which frame's Z' came back. */
    private static float[][] fused(long t) {
        float[][] z = new float[1][D];
        for (int i = 0; i < D; i++) {
            z[0][i] = (t % 100_000) / 1000f + i;
        }
        return z;
    }

    private static MemoryFrame frame(String stream, long t, int bytes) {
        float[][] g = new float[4][D];
        float[][] zc = new float[1][D];
        return new FrameToMemory()
                .map(new EncodedFrameRecord(sampled(stream, t, bytes), new EncodedFrame(g, zc, fused(t))));
    }

    private static void add(KeyedTwoInputStreamOperatorTestHarness<String, MemoryFrame, MemoryInput, IngestStatus> h,
            String stream, long t) throws Exception {
        h.processElement1(new StreamRecord<>(frame(stream, t, 100), t));
    }

    private static IngestStatus status(String stream) {
        IngestStatus s = new IngestStatus();
        s.streamId = stream;
        return s;
    }

    private static MemoryInput ask(String stream, Long from, Long to) {
        Query q = new Query();
        q.queryId = "q-" + stream + "-" + from + "-" + to;
        q.kind = Query.KIND_ASK;
        q.streamId = stream;
        q.question = "what happened?";
        q.fromMillis = from;
        q.toMillis = to;
        q.maxTokens = 16;
        return MemoryInput.of(new QueryRequest(q, T0 + 60_000));
    }

    private static <T> List<T> side(KeyedTwoInputStreamOperatorTestHarness<?, ?, ?, ?> h, OutputTag<T> tag) {
        List<T> out = new ArrayList<>();
        var queue = h.getSideOutput(tag);
        if (queue != null) {
            queue.forEach(r -> out.add(r.getValue()));
        }
        return out;
    }

    private static List<Long> times(QueryFrames q) {
        return Arrays.stream(q.frames).map(f -> f.timeMillis).toList();
    }

    /** Event times held in the memory of {@code stream}, read from keyed state, checked against the index. */
    private static List<Long> memory(KeyedTwoInputStreamOperatorTestHarness<String, ?, ?, ?> h, String stream)
            throws Exception {
        IngestSettings settings = ((VideoMemoryFunction) ((KeyedCoProcessOperator<?, ?, ?, ?>) h.getOperator())
                .getUserFunction()).settings();
        var backend = h.getOperator().getKeyedStateBackend();
        backend.setCurrentKey(stream);
        MapState<Long, SampledFrame> frames = backend.getPartitionedState(VoidNamespace.INSTANCE,
                VoidNamespaceSerializer.INSTANCE, VideoMemoryFunction.framesDescriptor(settings));
        MapState<Long, byte[]> fused = backend.getPartitionedState(VoidNamespace.INSTANCE,
                VoidNamespaceSerializer.INSTANCE, VideoMemoryFunction.fusedDescriptor(settings));
        ValueState<MemoryIndex> index = backend.getPartitionedState(VoidNamespace.INSTANCE,
                VoidNamespaceSerializer.INSTANCE, VideoMemoryFunction.indexDescriptor(settings));
        List<Long> held = new ArrayList<>();
        for (Long t : frames.keys()) {
            held.add(t);
        }
        held.sort(Long::compare);
        List<Long> withZ = new ArrayList<>();
        for (Long t : fused.keys()) {
            withZ.add(t);
        }
        withZ.sort(Long::compare);
        List<Long> indexed = new ArrayList<>();
        if (index.value() != null) {
            for (long t : index.value().times) {
                indexed.add(t);
            }
        }
        assertThat(indexed).as("index agrees with the stored frames").isEqualTo(held);
        assertThat(withZ).as("every stored frame has its Z'").isEqualTo(held);
        return held;
    }

    private static long storedSize(int jpegBytes) {
        return VideoMemoryFunction.sizeOf(sampled("cam-1", 0, jpegBytes), FusedTokens.toBytes(fused(0)));
    }

    @ParameterizedTest
    @ValueSource(strings = {Harnesses.HEAP, Harnesses.ROCKSDB})
    void keepsAtMostMaxFramesEvictingTheOldest(String backend) throws Exception {
        try (var h = harness(backend, 3, Duration.ofHours(1))) {
            h.open();
            for (int i = 0; i < 5; i++) {
                add(h, "cam-1", T0 + i * 1000L);
            }
            h.processElement1(new StreamRecord<>(frame("cam-2", T0, 50), T0));
            assertThat(memory(h, "cam-1")).containsExactly(T0 + 2000, T0 + 3000, T0 + 4000);
            assertThat(memory(h, "cam-2")).containsExactly(T0);

            h.processElement2(new StreamRecord<>(MemoryInput.of(status("cam-1")), T0));
            IngestStatus s = h.extractOutputValues().get(0);
            assertThat(s.memoryFrames).isEqualTo(3);
            assertThat(s.memoryBytes).isEqualTo(3 * storedSize(100));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {Harnesses.HEAP, Harnesses.ROCKSDB})
    void keepsFramesWithinTheRetentionBehindTheNewest(String backend) throws Exception {
        try (var h = harness(backend, 1000, Duration.ofSeconds(10))) {
            h.open();
            for (long t : new long[] {0, 5_000, 12_000, 20_000}) {
                add(h, "cam-1", T0 + t);
            }
            // 0 and 5 s fell out when 20 s arrived; a frame older than the horizon is not stored
            add(h, "cam-1", T0 + 1_000);
            assertThat(memory(h, "cam-1")).containsExactly(T0 + 12_000, T0 + 20_000);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {Harnesses.HEAP, Harnesses.ROCKSDB})
    void aFrameAtAnExistingTimeReplacesItWithoutDoubleCounting(String backend) throws Exception {
        try (var h = harness(backend, 10, Duration.ofHours(1))) {
            h.open();
            h.processElement1(new StreamRecord<>(frame("cam-1", T0, 100), T0));
            h.processElement1(new StreamRecord<>(frame("cam-1", T0, 300), T0));
            h.processElement2(new StreamRecord<>(MemoryInput.of(status("cam-1")), T0));
            IngestStatus s = h.extractOutputValues().get(0);
            assertThat(s.memoryFrames).isEqualTo(1);
            assertThat(s.memoryBytes).isEqualTo(storedSize(300));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {Harnesses.HEAP, Harnesses.ROCKSDB})
    void memorySurvivesSnapshotAndRestore(String backend) throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness(backend, 100, Duration.ofHours(1))) {
            h.open();
            for (int i = 0; i < 4; i++) {
                add(h, "cam-1", T0 + i * 1000L);
            }
            snapshot = h.snapshot(1L, 1L);
        }
        try (var h = harness(backend, 100, Duration.ofHours(1))) {
            h.setup();
            h.initializeState(snapshot);
            h.open();
            add(h, "cam-1", T0 + 4000);
            assertThat(memory(h, "cam-1")).containsExactly(T0, T0 + 1000, T0 + 2000, T0 + 3000, T0 + 4000);
            h.processElement2(new StreamRecord<>(ask("cam-1", T0 + 1000, T0 + 3000), T0));
            QueryFrames q = side(h, QueryOutputs.QUERY_FRAMES).get(0);
            assertThat(times(q)).containsExactly(T0 + 1000, T0 + 2000);
            assertThat(FusedTokens.fromBytes(q.frames[1].fused)).isDeepEqualTo(fused(T0 + 2000));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {Harnesses.HEAP, Harnesses.ROCKSDB})
    void aHistoryQueryGetsTheFramesInItsRangeWithJpegAndZPrimeAndTheRangeTheyCover(String backend)
            throws Exception {
        try (var h = harness(backend, 100, Duration.ofHours(1))) {
            h.open();
            for (int i = 0; i < 10; i++) {
                add(h, "cam-1", T0 + i * 1000L);
            }
            MemoryInput in = ask("cam-1", T0 + 2000, T0 + 5000);
            h.processElement2(new StreamRecord<>(in, T0));

            assertThat(side(h, QueryOutputs.ANSWERS)).isEmpty();
            List<QueryFrames> resolved = side(h, QueryOutputs.QUERY_FRAMES);
            assertThat(resolved).hasSize(1);
            QueryFrames q = resolved.get(0);
            assertThat(q.request.query.queryId).isEqualTo(in.query.query.queryId);
            assertThat(times(q)).containsExactly(T0 + 2000, T0 + 3000, T0 + 4000);
            assertThat(q.rangeStartMillis).isEqualTo(T0 + 2000);
            assertThat(q.rangeEndMillis).isEqualTo(T0 + 5000);
            for (QueryFrame f : q.frames) {
                assertThat(f.jpeg).isEqualTo(sampled("cam-1", f.timeMillis, 100).jpeg);
                assertThat(FusedTokens.fromBytes(f.fused)).isDeepEqualTo(fused(f.timeMillis));
            }
            List<QueryProgress> progress = side(h, QueryOutputs.PROGRESS);
            assertThat(progress).singleElement().satisfies(p -> {
                assertThat(p.queryId).isEqualTo(in.query.query.queryId);
                assertThat(p.stage).isEqualTo(QueryProgress.ACCEPTED);
                assertThat(p.message).contains("3 frames");
            });
            assertThat(h.extractOutputValues()).as("queries leave no status").isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {Harnesses.HEAP, Harnesses.ROCKSDB})
    void anOpenRangeCoversTheWholeMemoryAndALongOneIsSampledEvenlyUpToTheCap(String backend) throws Exception {
        try (var h = harness(backend, 100, Duration.ofHours(1), QuerySettings.defaults().withMaxFramesPerQuery(4))) {
            h.open();
            for (int i = 0; i < 10; i++) {
                add(h, "cam-1", T0 + i * 1000L);
            }
            h.processElement2(new StreamRecord<>(ask("cam-1", null, null), T0));
            h.processElement2(new StreamRecord<>(ask("cam-1", T0 + 1000, null), T0));
            h.processElement2(new StreamRecord<>(ask("cam-1", null, T0 + 3000), T0));
            List<QueryFrames> resolved = side(h, QueryOutputs.QUERY_FRAMES);
            assertThat(times(resolved.get(0))).containsExactly(T0, T0 + 3000, T0 + 6000, T0 + 9000);
            assertThat(resolved.get(0).rangeStartMillis).isEqualTo(T0);
            assertThat(resolved.get(0).rangeEndMillis).isEqualTo(T0 + 10_000);
            assertThat(times(resolved.get(1))).containsExactly(T0 + 1000, T0 + 4000, T0 + 6000, T0 + 9000);
            assertThat(times(resolved.get(2))).containsExactly(T0, T0 + 1000, T0 + 2000);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {Harnesses.HEAP, Harnesses.ROCKSDB})
    void aStreamWithoutMemoryIsUnknown(String backend) throws Exception {
        try (var h = harness(backend, 100, Duration.ofHours(1))) {
            h.open();
            add(h, "cam-1", T0);
            h.processElement2(new StreamRecord<>(ask("cam-9", null, null), T0));
            Answer a = side(h, QueryOutputs.ANSWERS).get(0);
            assertThat(a.status).isEqualTo(AnswerStatus.UNKNOWN_STREAM);
            assertThat(a.queryId).isEqualTo("q-cam-9-null-null");
            assertThat(a.streamId).isEqualTo("cam-9");
            assertThat(a.message).contains("cam-9");
            assertThat(a.latencyMillis).isNotNull();
            assertThat(side(h, QueryOutputs.QUERY_FRAMES)).isEmpty();
            assertThat(side(h, QueryOutputs.PROGRESS)).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {Harnesses.HEAP, Harnesses.ROCKSDB})
    void aRangeWithoutFramesIsEmptyAndOneBeforeTheOldestHeldIsBeyondRetention(String backend) throws Exception {
        try (var h = harness(backend, 5, Duration.ofHours(1))) {
            h.open();
            for (int i = 0; i < 10; i++) {
                add(h, "cam-1", T0 + i * 1000L);
            }
            // memory now holds 5..9 s
            h.processElement2(new StreamRecord<>(ask("cam-1", T0 + 20_000, T0 + 30_000), T0));
            h.processElement2(new StreamRecord<>(ask("cam-1", T0 + 6_100, T0 + 6_900), T0));
            h.processElement2(new StreamRecord<>(ask("cam-1", T0, T0 + 3000), T0));
            h.processElement2(new StreamRecord<>(ask("cam-1", null, T0 + 5000), T0));
            h.processElement2(new StreamRecord<>(ask("cam-1", T0, T0 + 7000), T0));
            List<String> statuses = side(h, QueryOutputs.ANSWERS).stream().map(a -> a.status).toList();
            assertThat(statuses).containsExactly(AnswerStatus.EMPTY_RANGE, AnswerStatus.EMPTY_RANGE,
                    AnswerStatus.BEYOND_RETENTION, AnswerStatus.BEYOND_RETENTION);
            QueryFrames partly = side(h, QueryOutputs.QUERY_FRAMES).get(0);
            assertThat(times(partly)).containsExactly(T0 + 5000, T0 + 6000);
            assertThat(partly.rangeStartMillis).as("the part of the range the memory still covers")
                    .isEqualTo(T0 + 5000);
            assertThat(partly.rangeEndMillis).isEqualTo(T0 + 7000);
        }
    }

    @Test
    void memoryInputIsAFlinkPojo() {
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(MemoryInput.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(MemoryIndex.class);
    }
}

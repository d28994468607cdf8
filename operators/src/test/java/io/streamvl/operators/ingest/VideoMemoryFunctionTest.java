package io.streamvl.operators.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamvl.ingest.SampledFrame;
import io.streamvl.kafka.IngestStatus;
import io.streamvl.operators.testing.Harnesses;
import java.time.Duration;
import java.util.ArrayList;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VideoMemoryFunctionTest {
    private static final long T0 = 1_700_000_000_000L;

    private static KeyedTwoInputStreamOperatorTestHarness<String, SampledFrame, IngestStatus, IngestStatus> harness(
            String backend, int maxFrames, Duration retention) throws Exception {
        var h = new KeyedTwoInputStreamOperatorTestHarness<>(
                new KeyedCoProcessOperator<>(new VideoMemoryFunction(Harnesses.settings(maxFrames, retention))),
                (SampledFrame f) -> f.streamId, (IngestStatus s) -> s.streamId, Types.STRING);
        Harnesses.useBackend(h, backend);
        return h;
    }

    private static SampledFrame frame(String stream, long t, int bytes) {
        SampledFrame f = new SampledFrame();
        f.streamId = stream;
        f.eventTimeMillis = t;
        f.width = 64;
        f.height = 64;
        f.jpeg = new byte[bytes];
        return f;
    }

    private static IngestStatus status(String stream) {
        IngestStatus s = new IngestStatus();
        s.streamId = stream;
        return s;
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
        ValueState<MemoryIndex> index = backend.getPartitionedState(VoidNamespace.INSTANCE,
                VoidNamespaceSerializer.INSTANCE, VideoMemoryFunction.indexDescriptor(settings));
        List<Long> held = new ArrayList<>();
        for (Long t : frames.keys()) {
            held.add(t);
        }
        held.sort(Long::compare);
        List<Long> indexed = new ArrayList<>();
        if (index.value() != null) {
            for (long t : index.value().times) {
                indexed.add(t);
            }
        }
        assertThat(indexed).as("index agrees with the stored frames").isEqualTo(held);
        return held;
    }

    @ParameterizedTest
    @ValueSource(strings = {Harnesses.HEAP, Harnesses.ROCKSDB})
    void keepsAtMostMaxFramesEvictingTheOldest(String backend) throws Exception {
        try (var h = harness(backend, 3, Duration.ofHours(1))) {
            h.open();
            for (int i = 0; i < 5; i++) {
                h.processElement1(new StreamRecord<>(frame("cam-1", T0 + i * 1000L, 100), T0 + i * 1000L));
            }
            h.processElement1(new StreamRecord<>(frame("cam-2", T0, 50), T0));
            assertThat(memory(h, "cam-1")).containsExactly(T0 + 2000, T0 + 3000, T0 + 4000);
            assertThat(memory(h, "cam-2")).containsExactly(T0);

            h.processElement2(new StreamRecord<>(status("cam-1"), T0));
            IngestStatus s = h.extractOutputValues().get(0);
            assertThat(s.memoryFrames).isEqualTo(3);
            assertThat(s.memoryBytes).isEqualTo(3 * VideoMemoryFunction.sizeOf(frame("cam-1", 0, 100)));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {Harnesses.HEAP, Harnesses.ROCKSDB})
    void keepsFramesWithinTheRetentionBehindTheNewest(String backend) throws Exception {
        try (var h = harness(backend, 1000, Duration.ofSeconds(10))) {
            h.open();
            for (long t : new long[] {0, 5_000, 12_000, 20_000}) {
                h.processElement1(new StreamRecord<>(frame("cam-1", T0 + t, 10), T0 + t));
            }
            // 0 and 5 s fell out when 20 s arrived; a frame older than the horizon is not stored
            h.processElement1(new StreamRecord<>(frame("cam-1", T0 + 1_000, 10), T0 + 1_000));
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
            h.processElement2(new StreamRecord<>(status("cam-1"), T0));
            IngestStatus s = h.extractOutputValues().get(0);
            assertThat(s.memoryFrames).isEqualTo(1);
            assertThat(s.memoryBytes).isEqualTo(VideoMemoryFunction.sizeOf(frame("cam-1", T0, 300)));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {Harnesses.HEAP, Harnesses.ROCKSDB})
    void memorySurvivesSnapshotAndRestore(String backend) throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness(backend, 100, Duration.ofHours(1))) {
            h.open();
            for (int i = 0; i < 4; i++) {
                h.processElement1(new StreamRecord<>(frame("cam-1", T0 + i * 1000L, 10), T0 + i * 1000L));
            }
            snapshot = h.snapshot(1L, 1L);
        }
        try (var h = harness(backend, 100, Duration.ofHours(1))) {
            h.setup();
            h.initializeState(snapshot);
            h.open();
            h.processElement1(new StreamRecord<>(frame("cam-1", T0 + 4000, 10), T0 + 4000));
            assertThat(memory(h, "cam-1")).containsExactly(T0, T0 + 1000, T0 + 2000, T0 + 3000, T0 + 4000);
        }
    }
}

package io.streamvl.operators.vision;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamvl.ingest.SampledFrame;
import io.streamvl.models.llavamini.EncodedFrame;
import io.streamvl.models.llavamini.IncrementalCaption;
import io.streamvl.models.llavamini.LlavaMiniModel;
import io.streamvl.operators.model.SharedModels;
import io.streamvl.operators.model.TinyModel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FrameEncodeOperatorTest {
    private static final long T0 = 1_700_000_000_000L;
    private static SharedModels.Lease<LlavaMiniModel> lease;

    @BeforeAll
    static void lease() {
        // held across the tests so the model is loaded once
        lease = SharedModels.acquire(TinyModel.settings());
    }

    @AfterAll
    static void release() {
        lease.close();
    }

    private static OneInputStreamOperatorTestHarness<SampledFrame, EncodedFrameRecord> harness(int maxBatch,
            Duration maxWait) throws Exception {
        return new OneInputStreamOperatorTestHarness<>(
                new FrameEncodeOperator(TinyModel.settings(), maxBatch, maxWait, null));
    }

    private static StreamRecord<SampledFrame> record(String stream, long t, long seed) {
        return new StreamRecord<>(TinyModel.frame(stream, t, seed), t);
    }

    private static void assertClose(float[][] expected, float[][] actual) {
        TinyModel.assertClose(expected, actual, 1e-4f);
    }

    @Test
    void framesOfSeveralStreamsEncodedInOneBatchEqualEachEncodedAlone() throws Exception {
        List<StreamRecord<SampledFrame>> in = List.of(record("cam-1", T0, 1), record("cam-2", T0, 2),
                record("cam-3", T0 + 100, 3), record("cam-1", T0 + 1000, 4), record("cam-2", T0 + 1000, 5));
        try (var h = harness(8, Duration.ofMinutes(1))) {
            h.open();
            for (var r : in) {
                h.processElement(r);
            }
            assertThat(h.getOutput()).as("waits for a fuller batch").isEmpty();
            h.processWatermark(new Watermark(T0 + 2000));
            List<StreamRecord<? extends EncodedFrameRecord>> out = h.extractOutputStreamRecords();
            assertThat(out).hasSize(in.size());
            for (int i = 0; i < in.size(); i++) {
                SampledFrame frame = in.get(i).getValue();
                assertThat(out.get(i).getTimestamp()).isEqualTo(in.get(i).getTimestamp());
                assertThat(out.get(i).getValue().frame).isEqualTo(frame);
                EncodedFrame batched = out.get(i).getValue().encodedFrame();
                EncodedFrame single = TinyModel.encode(lease, frame);
                assertClose(single.image(), batched.image());
                assertClose(single.compressed(), batched.compressed());
                assertClose(single.fused(), batched.fused());
            }
        }
    }

    @Test
    void withAPromptEachFrameCarriesItsFusedTextFromTheEncodingRun() throws Exception {
        String prompt = "Describe the video.";
        List<StreamRecord<SampledFrame>> in = List.of(record("cam-1", T0, 1), record("cam-2", T0, 2),
                record("cam-1", T0 + 1000, 3));
        try (var h = new OneInputStreamOperatorTestHarness<>(
                new FrameEncodeOperator(TinyModel.settings(), 8, Duration.ofMinutes(1), prompt))) {
            h.open();
            for (var r : in) {
                h.processElement(r);
            }
            h.processWatermark(new Watermark(T0 + 2000));
            List<EncodedFrameRecord> out = h.extractOutputValues();
            assertThat(out).hasSize(in.size());
            for (int i = 0; i < in.size(); i++) {
                EncodedFrame single = TinyModel.encode(lease, in.get(i).getValue());
                EncodedFrameRecord record = out.get(i);
                IncrementalCaption.State state = IncrementalCaption.State.plus(null, record.encodedFrame(),
                        record.fusedText(prompt));
                assertClose(lease.call(m -> m.input(List.of(single), prompt)),
                        lease.call(m -> m.incrementalCaption(prompt, state).input()));
                assertClose(single.fused(), record.encodedFrame().fused());
                assertThat(record.fusedText("Another prompt.")).isNull();
            }
        }
    }

    @Test
    void aBatchIsFlushedBeforeTheWatermarkThatCoversIt() throws Exception {
        try (var h = harness(8, Duration.ofMinutes(1))) {
            h.open();
            h.processElement(record("cam-1", T0, 1));
            h.processElement(record("cam-2", T0 + 500, 2));
            h.processWatermark(new Watermark(T0 + 999));
            h.processElement(record("cam-1", T0 + 1000, 3));
            h.processWatermark(new Watermark(T0 + 1999));
            List<Object> order = new ArrayList<>();
            for (Object o : h.getOutput()) {
                order.add(o instanceof StreamRecord<?> r ? ((EncodedFrameRecord) r.getValue()).frame.eventTimeMillis : o);
            }
            assertThat(order).containsExactly(T0, T0 + 500, new Watermark(T0 + 999), T0 + 1000,
                    new Watermark(T0 + 1999));
        }
    }

    @Test
    void aFullBatchOrTheWaitLimitRunsWithoutAWatermark() throws Exception {
        try (var h = harness(2, Duration.ofMillis(200))) {
            h.setProcessingTime(0);
            h.open();
            h.processElement(record("cam-1", T0, 1));
            assertThat(h.extractOutputValues()).isEmpty();
            h.processElement(record("cam-2", T0, 2));
            assertThat(h.extractOutputValues()).hasSize(2);

            h.processElement(record("cam-3", T0, 3));
            h.setProcessingTime(199);
            assertThat(h.extractOutputValues()).hasSize(2);
            h.setProcessingTime(200);
            assertThat(h.extractOutputValues()).hasSize(3);
        }
    }

    @Test
    void withObjectReuseABufferedFrameIsACopy() throws Exception {
        var serializer = TypeInformation.of(SampledFrame.class).createSerializer(new SerializerConfigImpl());
        try (var h = new OneInputStreamOperatorTestHarness<>(
                new FrameEncodeOperator(TinyModel.settings(), 8, Duration.ofMinutes(1), null), serializer)) {
            h.getExecutionConfig().enableObjectReuse();
            h.open();
            StreamRecord<SampledFrame> reused = record("cam-1", T0, 1);
            byte[] first = reused.getValue().jpeg;
            h.processElement(reused);
            reused.getValue().eventTimeMillis = T0 + 1000;
            reused.getValue().jpeg = TinyModel.jpeg(2);
            h.processElement(reused);
            h.processWatermark(new Watermark(T0 + 1000));
            List<EncodedFrameRecord> out = h.extractOutputValues();
            assertThat(out).extracting(r -> r.frame.eventTimeMillis).containsExactly(T0, T0 + 1000);
            assertThat(out.get(0).frame.jpeg).isEqualTo(first);
        }
    }

    @Test
    void anUndecodableJpegIsDroppedAndTheRestOfTheBatchEncoded() throws Exception {
        try (var h = harness(8, Duration.ofMinutes(1))) {
            h.open();
            h.processElement(record("cam-1", T0, 1));
            StreamRecord<SampledFrame> bad = record("cam-2", T0, 2);
            bad.getValue().jpeg = new byte[] {1, 2, 3};
            h.processElement(bad);
            StreamRecord<SampledFrame> noJpeg = record("cam-4", T0, 4);
            noJpeg.getValue().jpeg = null;
            h.processElement(noJpeg);
            h.processElement(record("cam-3", T0, 3));
            h.processWatermark(new Watermark(T0));
            assertThat(h.extractOutputValues()).extracting(r -> r.frame.streamId).containsExactly("cam-1", "cam-3");
        }
    }

    @Test
    void theBufferIsEmptiedBeforeACheckpointSoNothingIsLostOnRestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness(8, Duration.ofMinutes(1))) {
            h.open();
            h.processElement(record("cam-1", T0, 1));
            h.processElement(record("cam-2", T0, 2));
            h.prepareSnapshotPreBarrier(1L);
            snapshot = h.snapshot(1L, 1L);
            assertThat(h.extractOutputValues()).hasSize(2);
        }
        try (var h = harness(8, Duration.ofMinutes(1))) {
            h.setup();
            h.initializeState(snapshot);
            h.open();
            h.processElement(record("cam-1", T0 + 1000, 3));
            h.getOperator().finish();
            assertThat(h.extractOutputValues()).extracting(r -> r.frame.eventTimeMillis).containsExactly(T0 + 1000);
        }
    }
}

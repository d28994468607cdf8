package io.streamvl.operators.vision;

import io.streamvl.ingest.ModelInputConverter;
import io.streamvl.ingest.ModelInputSpec;
import io.streamvl.ingest.ResizeMode;
import io.streamvl.ingest.SampledFrame;
import io.streamvl.models.llavamini.EncodedFrame;
import io.streamvl.models.llavamini.LlavaMiniModel;
import io.streamvl.operators.model.ModelBatchingOperator;
import io.streamvl.operators.model.ModelKind;
import io.streamvl.operators.model.ModelSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs LLaVA-Mini's vision side (tower, compressor, projector, pre-fusion of Z') on sampled frames,
 * batched across streams: up to {@code maxBatch} frames, or what arrived within {@code maxWait}, go
 * through one {@link LlavaMiniModel#encode} call. Frames come out in arrival order with their
 * timestamps, each with its {@link EncodedFrame}; batching, flushing and backpressure are
 * {@link ModelBatchingOperator}'s.
 *
 * <p>The JPEG is decoded to the model's input ({@link LlavaMiniModel#inputSize()} square,
 * CLIP normalisation) here, not stored as a tensor upstream. A frame whose JPEG cannot be decoded
 * (or has another size than the model's input) was already accepted by ingest; it is logged,
 * counted ({@code undecodableFrames}) and dropped. A failure of the model itself fails the task:
 * it is not caused by one input, and dropping every frame would silently empty every caption.
 *
 * <p>Metrics: {@code framesEncoded}, {@code undecodableFrames}, {@code encodeMillis} (histogram,
 * per batch), and the batching metrics.
 */
public class FrameEncodeOperator extends ModelBatchingOperator<SampledFrame, EncodedFrameRecord> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(FrameEncodeOperator.class);

    public static final String UID = "frame-encode";

    private transient ModelInputSpec input;
    private transient Counter encoded;
    private transient Counter undecodable;
    private transient Histogram encodeMillis;

    /**
     * @param model the bundle and how it runs
     * @param maxBatch frames encoded together at most
     * @param maxWait how long a frame waits for others to fill its batch, processing time
     */
    public FrameEncodeOperator(ModelSettings model, int maxBatch, Duration maxWait) {
        super(model, maxBatch, maxWait);
    }

    @Override
    public void open() throws Exception {
        super.open();
        int size = lease(ModelKind.LLAVA_MINI).call(LlavaMiniModel::inputSize);
        input = ModelInputSpec.clipDefaults().withSize(size, size).withResizeMode(ResizeMode.NEAREST);
        encoded = getMetricGroup().counter("framesEncoded");
        undecodable = getMetricGroup().counter("undecodableFrames");
        encodeMillis = histogram("encodeMillis");
    }

    @Override
    protected void processBatch(List<StreamRecord<SampledFrame>> batch) {
        int floats = input.tensorLength();
        float[] images = new float[batch.size() * floats];
        float[] image = new float[floats];
        List<StreamRecord<SampledFrame>> decoded = new ArrayList<>(batch.size());
        for (StreamRecord<SampledFrame> record : batch) {
            SampledFrame frame = record.getValue();
            try {
                ModelInputConverter.jpegToTensor(frame.jpeg == null ? new byte[0] : frame.jpeg, input, image);
            } catch (IllegalArgumentException e) {
                undecodable.inc();
                LOG.warn("dropping frame {} of stream {}: {}", frame.eventTimeMillis, frame.streamId, e.getMessage());
                continue;
            }
            System.arraycopy(image, 0, images, decoded.size() * floats, floats);
            decoded.add(record);
        }
        if (decoded.isEmpty()) {
            return;
        }
        int n = decoded.size();
        float[] exact = n == batch.size() ? images : Arrays.copyOf(images, n * floats);
        long t0 = System.nanoTime();
        List<EncodedFrame> frames = lease(ModelKind.LLAVA_MINI).call(m -> m.encode(exact, n));
        encodeMillis.update((System.nanoTime() - t0) / 1_000_000);
        for (int i = 0; i < n; i++) {
            StreamRecord<SampledFrame> record = decoded.get(i);
            output.collect(record.replace(new EncodedFrameRecord(record.getValue(), frames.get(i))));
        }
        encoded.inc(n);
    }
}

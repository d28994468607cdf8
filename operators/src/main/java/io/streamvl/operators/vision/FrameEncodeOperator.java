package io.streamvl.operators.vision;

import io.streamvl.ingest.ModelInputConverter;
import io.streamvl.ingest.ModelInputSpec;
import io.streamvl.ingest.ResizeMode;
import io.streamvl.ingest.SampledFrame;
import io.streamvl.models.llavamini.EncodedFrame;
import io.streamvl.models.llavamini.LlavaMiniModel;
import io.streamvl.models.llavamini.PromptedFrame;
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
 * through one {@link LlavaMiniModel#encode} call. With a prompt (the live caption prompt), the same
 * pre-fusion run also fuses it with every frame, and the records carry its fused text T': the caption
 * operator then adds each frame's T' to its running sum without a model call per frame. Frames come out in arrival order with their
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

    /** Fused with every frame in the encoding run; null for none. */
    private final String prompt;

    /**
     * @param model the bundle and how it runs
     * @param maxBatch frames encoded together at most
     * @param maxWait how long a frame waits for others to fill its batch, processing time
     * @param prompt a prompt every frame is fused with, in the same pre-fusion run as its Z' (the live caption
     *     prompt, which would otherwise take a run of its own per frame downstream); null for none
     */
    public FrameEncodeOperator(ModelSettings model, int maxBatch, Duration maxWait, String prompt) {
        super(model, maxBatch, maxWait);
        this.prompt = prompt;
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
        List<EncodedFrameRecord> out = new ArrayList<>(n);
        if (prompt == null) {
            List<EncodedFrame> frames = lease(ModelKind.LLAVA_MINI).call(m -> m.encode(exact, n));
            for (int i = 0; i < n; i++) {
                out.add(new EncodedFrameRecord(decoded.get(i).getValue(), frames.get(i)));
            }
        } else {
            List<PromptedFrame> frames = lease(ModelKind.LLAVA_MINI).call(m -> m.encode(exact, n, prompt));
            for (int i = 0; i < n; i++) {
                out.add(new EncodedFrameRecord(decoded.get(i).getValue(), frames.get(i), prompt));
            }
        }
        encodeMillis.update((System.nanoTime() - t0) / 1_000_000);
        for (int i = 0; i < n; i++) {
            output.collect(decoded.get(i).replace(out.get(i)));
        }
        encoded.inc(n);
    }
}

package io.streamvl.operators.model;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * An operator that runs the model on batches of records: it buffers up to {@code maxBatch} records
 * and hands them to {@link #processBatch} when the buffer is full, when the oldest has waited
 * {@code maxWait} (processing time), before a watermark is forwarded, before a checkpoint barrier,
 * and at the end of input. So the buffer never needs checkpointing, outputs stay ahead of the
 * watermark that covers their inputs, and the buffer is bounded (the model runs synchronously, which
 * backpressures the input).
 *
 * <p>Metrics: {@code batchSize} (histogram), {@code queued} (records waiting).
 */
public abstract class BatchingOperator<IN, OUT> extends AbstractStreamOperator<OUT>
        implements OneInputStreamOperator<IN, OUT> {
    private static final long serialVersionUID = 1L;
    /** Samples a histogram metric of a model operator keeps. */
    public static final int HISTOGRAM_WINDOW = 500;

    private final int maxBatch;
    private final long maxWaitMillis;

    private transient List<StreamRecord<IN>> buffer;
    private transient ScheduledFuture<?> deadline;
    private transient TypeSerializer<IN> copier;
    private transient Histogram batchSizes;

    protected BatchingOperator(int maxBatch, Duration maxWait) {
        if (maxBatch < 1 || maxWait.isNegative()) {
            throw new IllegalArgumentException("batches need maxBatch >= 1 and maxWait >= 0, got " + maxBatch + " and "
                    + maxWait);
        }
        this.maxBatch = maxBatch;
        this.maxWaitMillis = maxWait.toMillis();
    }

    @Override
    public void open() throws Exception {
        super.open();
        buffer = new ArrayList<>(maxBatch);
        batchSizes = histogram("batchSize");
        getMetricGroup().gauge("queued", this::queued);
        if (getExecutionConfig().isObjectReuseEnabled()) {
            // with object reuse the caller may overwrite a record after processElement returns
            copier = getOperatorConfig().getTypeSerializerIn(0, getUserCodeClassloader());
        }
    }

    public int maxBatch() {
        return maxBatch;
    }

    /** A histogram metric of this operator over its last {@value #HISTOGRAM_WINDOW} samples. */
    protected Histogram histogram(String name) {
        return getMetricGroup().histogram(name, new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
    }

    /** Records waiting for the next batch. */
    protected int queued() {
        return buffer == null ? 0 : buffer.size();
    }

    @Override
    public void processElement(StreamRecord<IN> record) throws Exception {
        enqueue(record);
    }

    /** Adds a record to the batch; runs the batch when it is full. */
    protected final void enqueue(StreamRecord<IN> record) throws Exception {
        // our own StreamRecord: callers (sources, chained outputs) may reuse theirs
        buffer.add(record.copy(copier == null ? record.getValue() : copier.copy(record.getValue())));
        if (buffer.size() >= maxBatch) {
            flush();
        } else if (deadline == null) {
            long now = getProcessingTimeService().getCurrentProcessingTime();
            deadline = getProcessingTimeService().registerTimer(now + maxWaitMillis, time -> {
                deadline = null;
                flush();
            });
        }
    }

    /** Runs the buffered records, if any, as one batch. */
    protected final void flush() throws Exception {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
        if (buffer.isEmpty()) {
            return;
        }
        List<StreamRecord<IN>> batch = buffer;
        buffer = new ArrayList<>(maxBatch);
        batchSizes.update(batch.size());
        processBatch(batch);
    }

    /** Runs one batch, in arrival order; emit each result with {@code record.replace(result)} to keep its timestamp. */
    protected abstract void processBatch(List<StreamRecord<IN>> batch) throws Exception;

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        flush();
        super.processWatermark(mark);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        flush();
        super.prepareSnapshotPreBarrier(checkpointId);
    }

    @Override
    public void finish() throws Exception {
        flush();
        super.finish();
    }
}

package io.streamvl.operators.model;

import io.streamvl.models.llavamini.LlavaMiniModel;
import java.time.Duration;

/**
 * A {@link BatchingOperator} that runs its batches on the JVM's shared model for its settings: the lease is taken
 * in {@link #open} (subclasses call {@code super.open()} first, then use {@link #lease}) and given back in
 * {@link #close}.
 */
public abstract class ModelBatchingOperator<IN, OUT> extends BatchingOperator<IN, OUT> {
    private static final long serialVersionUID = 1L;

    private final ModelSettings model;
    private transient SharedModels.Lease<LlavaMiniModel> lease;

    protected ModelBatchingOperator(ModelSettings model, int maxBatch, Duration maxWait) {
        super(maxBatch, maxWait);
        this.model = model;
    }

    @Override
    public void open() throws Exception {
        super.open();
        lease = SharedModels.acquire(model);
    }

    protected SharedModels.Lease<LlavaMiniModel> lease() {
        return lease;
    }

    @Override
    public void close() throws Exception {
        try {
            if (lease != null) {
                lease.close();
            }
        } finally {
            super.close();
        }
    }
}

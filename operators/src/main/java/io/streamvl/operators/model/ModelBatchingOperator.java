package io.streamvl.operators.model;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@link BatchingOperator} that runs its batches on the JVM's shared models for its settings. Each kind's lease is
 * taken on the first {@link #lease} of that kind (the frame encoder's in its {@code open}; generation's with the
 * first task of each mode), so a job loads only the models its input needs, and all are given back in
 * {@link #close}.
 */
public abstract class ModelBatchingOperator<IN, OUT> extends BatchingOperator<IN, OUT> {
    private static final long serialVersionUID = 1L;

    private final ModelSettings model;
    private transient Map<ModelKind<?>, OnDemandLease<?>> leases;

    protected ModelBatchingOperator(ModelSettings model, int maxBatch, Duration maxWait) {
        super(maxBatch, maxWait);
        this.model = model;
    }

    @Override
    public void open() throws Exception {
        super.open();
        leases = new LinkedHashMap<>();
    }

    /** The lease on the shared model of {@code kind}, acquired now if this is its first use. */
    protected <M extends AutoCloseable> SharedModels.Lease<M> lease(ModelKind<M> kind) {
        @SuppressWarnings("unchecked") // leases holds an OnDemandLease<M> under a kind of M
        OnDemandLease<M> lease = (OnDemandLease<M>) leases.computeIfAbsent(kind, k -> new OnDemandLease<>(kind, model));
        return lease.get();
    }

    @Override
    public void close() throws Exception {
        try {
            if (leases != null) {
                leases.values().forEach(OnDemandLease::close);
            }
        } finally {
            super.close();
        }
    }
}

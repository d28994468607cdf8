package io.streamvl.operators.model;

/**
 * A lease on a shared model taken on first use, for a model an operator needs only for some of its input (a
 * query in the other mode): a job that never sees such input never loads it. For one operator instance (one
 * thread).
 */
public final class OnDemandLease<M extends AutoCloseable> implements AutoCloseable {
    private final ModelKind<M> kind;
    private final ModelSettings settings;
    private SharedModels.Lease<M> lease;

    public OnDemandLease(ModelKind<M> kind, ModelSettings settings) {
        this.kind = kind;
        this.settings = settings;
    }

    /** The lease, acquired now if this is the first use. */
    public SharedModels.Lease<M> get() {
        if (lease == null) {
            lease = SharedModels.acquire(kind, settings);
        }
        return lease;
    }

    /** Whether the model was ever needed. */
    public boolean acquired() {
        return lease != null;
    }

    @Override
    public void close() {
        if (lease != null) {
            lease.close();
        }
    }
}

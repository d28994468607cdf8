package io.streamvl.operators.ingest;

import io.streamvl.kafka.IngestStatus;
import io.streamvl.operators.query.QueryRequest;

/**
 * The video memory's second input: exactly one of a window's {@link IngestStatus} (completed with the memory's
 * size and forwarded) and a history {@link QueryRequest} (resolved against the memory). One union type
 * rather than a third input, because Flink's keyed operators take two inputs, and both kinds are small
 * control records keyed by stream id. A Flink POJO.
 */
public class MemoryInput {
    public IngestStatus status;
    public QueryRequest query;

    public MemoryInput() {}

    public static MemoryInput of(IngestStatus status) {
        MemoryInput in = new MemoryInput();
        in.status = status;
        return in;
    }

    public static MemoryInput of(QueryRequest query) {
        MemoryInput in = new MemoryInput();
        in.query = query;
        return in;
    }

    /** The key: the stream the status or query is about. */
    public String streamId() {
        return status != null ? status.streamId : query.query.streamId;
    }

    @Override
    public String toString() {
        return "MemoryInput{" + (status != null ? status : query) + "}";
    }
}

package io.streamvl.operators.query;

import io.streamvl.kafka.Query;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Sends each {@link ParsedQuery} where it is handled: valid history queries (about a stream) to the main
 * output, to be keyed by stream id into the video memory; file and URL queries to
 * {@link QueryOutputs#FILE_QUERIES}; {@code standing} and {@code cancel} to {@link QueryOutputs#STANDING_QUERIES};
 * error answers to {@link QueryOutputs#ANSWERS}. Stateless.
 */
public class QueryRouter extends ProcessFunction<ParsedQuery, QueryRequest> {
    private static final long serialVersionUID = 1L;
    public static final String UID = "query-route";

    private transient QueryMetrics metrics;

    @Override
    public void open(OpenContext ctx) {
        metrics = new QueryMetrics(getRuntimeContext().getMetricGroup());
    }

    @Override
    public void processElement(ParsedQuery parsed, Context ctx, Collector<QueryRequest> out) {
        if (parsed.error != null) {
            metrics.error(parsed.error.status);
            ctx.output(QueryOutputs.ANSWERS, parsed.error);
            return;
        }
        QueryRequest request = parsed.request;
        if (!Query.KIND_ASK.equals(request.query.kind)) {
            ctx.output(QueryOutputs.STANDING_QUERIES, request.query);
        } else if (request.isFileQuery()) {
            ctx.output(QueryOutputs.FILE_QUERIES, request);
        } else {
            out.collect(request);
        }
    }
}

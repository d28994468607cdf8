package io.streamvl.operators.query;

import io.streamvl.kafka.Answer;
import io.streamvl.kafka.Query;

/**
 * A validated {@code ask} query and when it arrived: the Kafka record's timestamp, so latency and replays do
 * not depend on when the job happened to read it. A Flink POJO.
 */
public class QueryRequest {
    public Query query;
    /** Epoch ms: the record's timestamp, or the time it was read when the record has none. */
    public long receivedMillis;

    public QueryRequest() {}

    public QueryRequest(Query query, long receivedMillis) {
        this.query = query;
        this.receivedMillis = receivedMillis;
    }

    /** Where latency is measured from: the client's {@code sentMillis} when it gave one, else the arrival. */
    public long latencyBaseMillis() {
        return query.sentMillis != null ? query.sentMillis : receivedMillis;
    }

    /** The error answer to this query, with its latency so far. */
    public Answer error(String status, String message, long nowMillis) {
        Answer a = Answer.error(query, status, message);
        a.latencyMillis = nowMillis - latencyBaseMillis();
        return a;
    }

    public boolean isFileQuery() {
        return query.videoUri != null;
    }

    @Override
    public String toString() {
        return "QueryRequest{" + query.queryId + " " + (isFileQuery() ? query.videoUri : query.streamId) + " @"
                + receivedMillis + "}";
    }
}

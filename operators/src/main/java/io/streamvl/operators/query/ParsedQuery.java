package io.streamvl.operators.query;

import io.streamvl.kafka.Answer;
import io.streamvl.kafka.Query;

/**
 * One record of the queries topic after {@link QueryParser}: exactly one of a {@link #request} (a valid
 * {@code ask}, or a {@code standing}/{@code cancel} passed through as read) and an {@link #error} answer.
 * A Flink POJO.
 */
public class ParsedQuery {
    public QueryRequest request;
    public Answer error;

    public ParsedQuery() {}

    static ParsedQuery of(Query query, long receivedMillis) {
        ParsedQuery p = new ParsedQuery();
        p.request = new QueryRequest(query, receivedMillis);
        return p;
    }

    static ParsedQuery rejected(Answer error) {
        ParsedQuery p = new ParsedQuery();
        p.error = error;
        return p;
    }

    @Override
    public String toString() {
        return error != null ? "ParsedQuery{" + error.queryId + " " + error.status + ": " + error.message + "}"
                : "ParsedQuery{" + request + "}";
    }
}

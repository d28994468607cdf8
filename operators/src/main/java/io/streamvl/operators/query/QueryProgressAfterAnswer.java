package io.streamvl.operators.query;

import io.streamvl.kafka.Answer;
import io.streamvl.kafka.QueryProgress;
import org.apache.flink.api.common.functions.MapFunction;

/**
 * Maps every answer, ok or error, to its query's final progress event ({@code done} or {@code failed}), so a
 * client following the events topic sees each query end. The one place terminal events are made: operators
 * that fail a query emit only the error answer.
 */
public class QueryProgressAfterAnswer implements MapFunction<Answer, QueryProgress> {
    private static final long serialVersionUID = 1L;

    @Override
    public QueryProgress map(Answer answer) {
        return ProgressEvents.finished(answer, System.currentTimeMillis());
    }
}

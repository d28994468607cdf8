package io.streamvl.operators.query;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/**
 * Query metrics of one operator: {@code queriesAccepted}, {@code errorAnswers} in total and per status (group
 * {@code status=<code>}), and the {@code framesPerQuery} distribution of the queries it resolved.
 */
public final class QueryMetrics {
    /** Queries the histogram's statistics are computed over. */
    private static final int HISTOGRAM_WINDOW = 1000;

    private final MetricGroup group;
    private final Counter accepted;
    private final Counter errors;
    private final Map<String, Counter> errorsByStatus = new HashMap<>();
    private Histogram framesPerQuery;

    public QueryMetrics(MetricGroup group) {
        this.group = group;
        this.accepted = group.counter("queriesAccepted");
        this.errors = group.counter("errorAnswers");
    }

    public void accepted() {
        accepted.inc();
    }

    public void error(String status) {
        errors.inc();
        errorsByStatus.computeIfAbsent(status, s -> group.addGroup("status", s).counter("errorAnswers")).inc();
    }

    /** Registered on first use, so operators that never resolve frames do not report an empty histogram. */
    public void framesUsed(int frames) {
        if (framesPerQuery == null) {
            framesPerQuery = group.histogram("framesPerQuery", new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
        }
        framesPerQuery.update(frames);
    }
}

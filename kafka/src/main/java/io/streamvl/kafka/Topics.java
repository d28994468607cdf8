package io.streamvl.kafka;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * The names of streamvl's topics. Defaults follow docs/topics.md; every name can be overridden
 * (config keys {@code streamvl.topic.<role>}).
 */
public final class Topics implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final String DEFAULT_SEGMENTS = "streamvl.segments";
    public static final String DEFAULT_QUERIES = "streamvl.queries";
    public static final String DEFAULT_ANSWERS = "streamvl.answers";
    public static final String DEFAULT_EVENTS = "streamvl.events";
    public static final String DEFAULT_CAPTIONS = "streamvl.captions";
    public static final String DEFAULT_ALERTS = "streamvl.alerts";
    public static final String DEFAULT_DLQ = "streamvl.dlq";

    public final String segments;
    public final String queries;
    public final String answers;
    public final String events;
    public final String captions;
    public final String alerts;
    public final String dlq;

    public Topics(String segments, String queries, String answers, String events, String captions,
            String alerts, String dlq) {
        this.segments = Objects.requireNonNull(segments);
        this.queries = Objects.requireNonNull(queries);
        this.answers = Objects.requireNonNull(answers);
        this.events = Objects.requireNonNull(events);
        this.captions = Objects.requireNonNull(captions);
        this.alerts = Objects.requireNonNull(alerts);
        this.dlq = Objects.requireNonNull(dlq);
    }

    public static Topics defaults() {
        return new Topics(DEFAULT_SEGMENTS, DEFAULT_QUERIES, DEFAULT_ANSWERS, DEFAULT_EVENTS,
                DEFAULT_CAPTIONS, DEFAULT_ALERTS, DEFAULT_DLQ);
    }

    public List<String> all() {
        return List.of(segments, queries, answers, events, captions, alerts, dlq);
    }
}

package io.streamvl.jobs.testing;

import io.streamvl.kafka.Query;

/** Queries as a client sends them, for the end-to-end tests. */
public final class TestQueries {
    private TestQueries() {}

    /** A question about a stream's history between {@code from} and {@code to} (epoch ms; null: its whole history). */
    public static Query history(String id, String stream, Long from, Long to, String question) {
        Query q = new Query();
        q.queryId = id;
        q.streamId = stream;
        q.fromMillis = from;
        q.toMillis = to;
        q.question = question;
        return q;
    }

    /** A question about a video file or URL. */
    public static Query video(String id, String uri, String question) {
        Query q = new Query();
        q.queryId = id;
        q.videoUri = uri;
        q.question = question;
        return q;
    }

    /** A standing question on a stream, alerting also when an answer holds {@code trigger}. */
    public static Query standing(String id, String stream, String question, String trigger) {
        Query q = history(id, stream, null, null, question);
        q.kind = Query.KIND_STANDING;
        q.trigger = trigger;
        return q;
    }
}

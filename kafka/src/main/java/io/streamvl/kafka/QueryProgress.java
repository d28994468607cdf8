package io.streamvl.kafka;

/** A step of a query's progress on the events topic (key: query id). */
public class QueryProgress {
    public static final int SCHEMA = 1;
    public static final String TYPE = "query-progress";
    public static final String ACCEPTED = "accepted";
    public static final String DECODING = "decoding";
    public static final String ENCODING = "encoding";
    public static final String GENERATING = "generating";
    public static final String DONE = "done";
    public static final String FAILED = "failed";

    public int schema = SCHEMA;
    public String type = TYPE;
    public String queryId;
    public String stage;
    /** 0..1 over the whole query. */
    public double fraction;
    public String message;
    /** Wall-clock time of the event, epoch ms. */
    public long timeMillis;

    public QueryProgress() {}

    public static QueryProgress of(String queryId, String stage, double fraction, String message, long timeMillis) {
        QueryProgress p = new QueryProgress();
        p.queryId = queryId;
        p.stage = stage;
        p.fraction = fraction;
        p.message = message;
        p.timeMillis = timeMillis;
        return p;
    }
}

package io.streamvl.operators.query;

/**
 * A query resolved to the frames it is answered from, in time order, and the range they cover: from the
 * first frame's time to the last frame's time plus one sampling interval (end exclusive). Made by the video
 * memory (history queries, event time) and {@link FileQueryFunction} (media time); turned into model input by
 * {@link QueryEncodeFunction}. A Flink POJO.
 */
public class QueryFrames {
    public QueryRequest request;
    public QueryFrame[] frames;
    public long rangeStartMillis;
    public long rangeEndMillis;

    public QueryFrames() {}

    public QueryFrames(QueryRequest request, QueryFrame[] frames, long rangeStartMillis, long rangeEndMillis) {
        this.request = request;
        this.frames = frames;
        this.rangeStartMillis = rangeStartMillis;
        this.rangeEndMillis = rangeEndMillis;
    }

    /**
     * @param frames at least one, in time order
     * @param intervalMillis the sampling interval the frames were taken at: the time the last frame stands for
     */
    public static QueryFrames covering(QueryRequest request, QueryFrame[] frames, long intervalMillis) {
        return new QueryFrames(request, frames, frames[0].timeMillis,
                frames[frames.length - 1].timeMillis + intervalMillis);
    }

    @Override
    public String toString() {
        return "QueryFrames{" + request + " " + frames.length + " frames " + rangeStartMillis + ".."
                + rangeEndMillis + "}";
    }
}

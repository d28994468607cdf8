package io.streamvl.operators.query;

/**
 * One frame a query is answered from: its time, the compact JPEG at model input size, and its LLaVA-Mini Z'
 * when the video memory stored one ({@link io.streamvl.operators.vision.FusedTokens} bytes; null for frames
 * decoded for a file query and for frames stored before Z' was). A Flink POJO.
 */
public class QueryFrame {
    /** Event time (history queries) or media time from the start of the file (file queries), ms. */
    public long timeMillis;
    public byte[] jpeg;
    public byte[] fused;

    public QueryFrame() {}

    public QueryFrame(long timeMillis, byte[] jpeg, byte[] fused) {
        this.timeMillis = timeMillis;
        this.jpeg = jpeg;
        this.fused = fused;
    }

    @Override
    public String toString() {
        return "QueryFrame{@" + timeMillis + " " + (jpeg == null ? 0 : jpeg.length) + " B"
                + (fused == null ? "" : " + Z' " + fused.length + " B") + "}";
    }
}

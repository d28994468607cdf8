package io.streamvl.jobs.bench.pipeline;

import io.streamvl.jobs.bench.pipeline.FlinkRest.Vertex;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The job's metrics that the benchmark reads, at one moment, per vertex and subtask. Counters and accumulated times are meant to be subtracted from an
 * earlier snapshot; histogram statistics (ids ending {@code _mean}) cover each subtask's last 500 samples.
 */
record JobMetrics(long atMillis, Map<Vertex, List<Map<String, Double>>> byVertex) {
    static final String BUSY = "accumulateBusyTimeMs";
    static final String BACKPRESSURED = "accumulateBackPressuredTimeMs";
    static final String IDLE = "accumulateIdleTimeMs";

    static final String SEGMENTS_DECODED = Profile.DECODE_OPERATOR + ".segmentsDecoded";
    static final String FRAMES_SAMPLED = Profile.DECODE_OPERATOR + ".framesSampled";
    static final String FRAMES_ENCODED = "frame-encode.framesEncoded";
    static final String ENCODE_MILLIS = "frame-encode.encodeMillis_mean";
    static final String ENCODE_BATCH = "frame-encode.batchSize_mean";
    static final String GENERATED = "generate.numRecordsOut";
    static final String TOKENS = "generate.tokensGenerated";
    static final String GENERATE_MILLIS = "generate.generateMillis_mean";
    static final String GENERATE_BATCH = "generate.batchSize_mean";
    static final String FRAMES_STORED = "video-memory.memoryFramesStored";
    static final String FRAMES_EVICTED = "video-memory.memoryFramesEvicted";

    private static final List<String> IDS = List.of(BUSY, BACKPRESSURED, IDLE, SEGMENTS_DECODED, FRAMES_SAMPLED,
            FRAMES_ENCODED, ENCODE_MILLIS, ENCODE_BATCH, GENERATED, TOKENS, GENERATE_MILLIS, GENERATE_BATCH,
            FRAMES_STORED, FRAMES_EVICTED);

    /**
     * Reads the metrics as they are now. The REST API answers from its last fetch from the task managers and only
     * starts the next one, so a first read may be as old as the request before it: it is read twice, the second time
     * once the fetch the first set off is in, and stamped with the first read's time.
     */
    static JobMetrics read(FlinkRest rest) throws IOException, InterruptedException {
        long at = System.currentTimeMillis();
        readNow(rest);
        Thread.sleep(FlinkRest.METRICS_SETTLE.toMillis());
        return new JobMetrics(at, readNow(rest));
    }

    private static Map<Vertex, List<Map<String, Double>>> readNow(FlinkRest rest)
            throws IOException, InterruptedException {
        Map<Vertex, List<Map<String, Double>>> byVertex = new LinkedHashMap<>();
        for (Vertex v : rest.vertices()) {
            byVertex.put(v, rest.metrics(v, IDS));
        }
        return byVertex;
    }

    /** A metric summed over every subtask that has it; 0 when none has (yet). */
    double sum(String id) {
        return byVertex.keySet().stream().mapToDouble(v -> sum(v, id)).sum();
    }

    double sum(Vertex v, String id) {
        return byVertex.get(v).stream().mapToDouble(m -> m.getOrDefault(id, 0.0)).sum();
    }

    /** The value of {@code id} in subtask {@code index} of the vertex; 0 when it has none. */
    double value(Vertex v, int index, String id) {
        return byVertex.get(v).get(index).getOrDefault(id, 0.0);
    }

    /** Frames the video memory holds now, over all streams. */
    double framesHeld() {
        return sum(FRAMES_STORED) - sum(FRAMES_EVICTED);
    }
}

package io.streamvl.jobs.bench.pipeline;

import io.streamvl.jobs.bench.pipeline.FlinkRest.Vertex;
import io.streamvl.jobs.generate.GenerationPipeline;
import io.streamvl.jobs.ingest.IngestJob;
import java.io.IOException;
import java.util.ArrayList;
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

    static final String SEGMENTS_DECODED = ModeStages.DECODE_OPERATOR + ".segmentsDecoded";
    static final String FRAMES_SAMPLED = ModeStages.DECODE_OPERATOR + ".framesSampled";
    static final String GENERATED = GenerationPipeline.UID_GENERATE + ".numRecordsOut";
    static final String TOKENS = GenerationPipeline.UID_GENERATE + ".tokensGenerated";
    static final String GENERATE_MILLIS = GenerationPipeline.UID_GENERATE + ".generateMillis_mean";
    static final String GENERATE_BATCH = GenerationPipeline.UID_GENERATE + ".batchSize_mean";
    static final String FRAMES_STORED = IngestJob.UID_MEMORY + ".memoryFramesStored";
    static final String FRAMES_EVICTED = IngestJob.UID_MEMORY + ".memoryFramesEvicted";

    /** These, and every mode's vision metrics: a subtask answers those it has. */
    private static final List<String> IDS = ids();

    private static List<String> ids() {
        List<String> ids = new ArrayList<>(List.of(BUSY, BACKPRESSURED, IDLE, SEGMENTS_DECODED, FRAMES_SAMPLED,
                GENERATED, TOKENS, GENERATE_MILLIS, GENERATE_BATCH, FRAMES_STORED, FRAMES_EVICTED));
        ids.addAll(ModeStages.encodeMetrics());
        return List.copyOf(ids);
    }

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

package io.streamvl.jobs.bench.pipeline;

import io.streamvl.jobs.bench.pipeline.FlinkRest.Vertex;

/**
 * One operator's calls into the shared model between two snapshots, from its own metrics: a counter of items (frames
 * encoded, texts generated) and histograms of items per call and ms per call (which include queueing for the model).
 * Per subtask, calls = items / mean items per call; a subtask without items in between has no calls (and an empty
 * histogram, NaN).
 *
 * @param itemsPerCall mean items per call, all subtasks
 * @param millisPerCall mean wall ms per call, all subtasks
 */
record ModelCalls(double itemsPerCall, double millisPerCall) {
    static ModelCalls between(JobMetrics a, JobMetrics b, String items, String itemsPerCall, String millisPerCall) {
        double calls = 0;
        double totalItems = 0;
        double totalMillis = 0;
        for (Vertex v : b.byVertex().keySet()) {
            if (!a.byVertex().containsKey(v)) {
                continue;
            }
            for (int i = 0; i < v.parallelism(); i++) {
                double n = b.value(v, i, items) - a.value(v, i, items);
                double perCall = b.value(v, i, itemsPerCall);
                if (n > 0 && perCall > 0) {
                    calls += n / perCall;
                    totalItems += n;
                    totalMillis += n / perCall * b.value(v, i, millisPerCall);
                }
            }
        }
        return calls == 0 ? new ModelCalls(0, 0) : new ModelCalls(totalItems / calls, totalMillis / calls);
    }
}

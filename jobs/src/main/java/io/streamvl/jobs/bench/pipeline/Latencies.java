package io.streamvl.jobs.bench.pipeline;

import java.util.List;

/** Percentiles of caption latencies, nearest rank, in ms. */
record Latencies(int count, long p50, long p95, long max) {
    static Latencies of(List<Long> millis) {
        if (millis.isEmpty()) {
            throw new IllegalArgumentException("no caption latency was measured");
        }
        List<Long> sorted = millis.stream().sorted().toList();
        return new Latencies(sorted.size(), rank(sorted, 0.50), rank(sorted, 0.95), sorted.get(sorted.size() - 1));
    }

    private static long rank(List<Long> sorted, double p) {
        return sorted.get((int) Math.ceil(p * sorted.size()) - 1);
    }
}

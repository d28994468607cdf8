package io.streamvl.jobs.bench.pipeline;

import static io.streamvl.jobs.bench.pipeline.JobMetrics.*;

import io.streamvl.jobs.bench.pipeline.FlinkRest.Vertex;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where the time went between two moments of the run: per pipeline stage (sampled, see {@link StageSampler}; Kafka
 * as the CPU of its threads), per task (Flink's busy, back-pressured and idle time of its busiest subtask), per
 * model call (the vision side's and generator's histograms) and per thread (CPU); and which stage limits
 * throughput. Which stages there are, and which operator runs the vision side, depends on the caption mode.
 *
 * @param mode the caption mode's stages
 * @param stages thread time per stage, ms per wall second
 * @param kafkaCpuMsPerS CPU of the Kafka threads: the broker's, the clients' network threads, the source's fetchers
 * @param tasks busiest first
 * @param cpuMsPerS CPU ms per wall second: the process, then thread groups (see {@link ThreadCpu#since})
 */
record Profile(ModeStages mode, Map<String, StageSampler.Load> stages, double kafkaCpuMsPerS, List<TaskLoad> tasks,
        ModelCalls vision, ModelCalls generation, double framesEncodedPerS, double tokensPerS, double tokensPerText,
        Map<String, Double> cpuMsPerS) {

    /** One task's busiest subtask, ms per wall second (they add up to about 1000). */
    record TaskLoad(String task, int subtasks, double busy, double backpressured, double idle) {}

    /** The model's lock changes hands between calls, so it never quite reaches 1000 ms per second. */
    static final double MODEL_SATURATED_MS_PER_S = 800;
    private static final int CPU_GROUPS = 8;
    /** Flink's web UI calls a task back-pressured from 10 % of its time. */
    private static final double BACKPRESSURED_MS_PER_S = 100;
    private static final Pattern KAFKA_THREADS = Pattern.compile("(?i).*kafka.*|Source Data Fetcher.*");

    static Profile between(ModeStages mode, JobMetrics a, JobMetrics b, ThreadCpu cpuA, ThreadCpu cpuB,
            Map<String, StageSampler.Load> stages) {
        double seconds = (b.atMillis() - a.atMillis()) / 1000.0;
        List<TaskLoad> tasks = b.byVertex().keySet().stream().filter(a.byVertex()::containsKey)
                .map(v -> load(v, a, b, seconds))
                .sorted(Comparator.comparingDouble(TaskLoad::busy).reversed()).toList();
        double tokens = b.sum(TOKENS) - a.sum(TOKENS);
        double texts = b.sum(GENERATED) - a.sum(GENERATED);
        return new Profile(mode, stages, cpuB.of(cpuA, seconds, KAFKA_THREADS), tasks,
                ModelCalls.between(a, b, mode.framesEncoded(), mode.encodeBatch(), mode.encodeMillis()),
                ModelCalls.between(a, b, GENERATED, GENERATE_BATCH, GENERATE_MILLIS),
                (b.sum(mode.framesEncoded()) - a.sum(mode.framesEncoded())) / seconds, tokens / seconds,
                texts == 0 ? 0 : tokens / texts, cpuB.since(cpuA, seconds, CPU_GROUPS));
    }

    /** Each stage's running time (in the model or elsewhere), then Kafka's CPU; ms per wall second. */
    Map<String, Double> stageMsPerS() {
        Map<String, Double> out = new LinkedHashMap<>();
        stages.forEach((stage, load) -> out.put(stage, load.running()));
        out.put(ModeStages.KAFKA, kafkaCpuMsPerS);
        return out;
    }

    /**
     * The stage that limits throughput. When the shared model runs at least {@value #MODEL_SATURATED_MS_PER_S} ms per
     * second, every stage queues for it (its calls are serialized): the stage that keeps it busiest. Otherwise the
     * stage that ran the most in the {@link #bottleneckTask}; when no stage ran there (a short measurement on a
     * loaded machine can make a nearly idle task the busiest unpressured one), the stage that ran the most anywhere.
     */
    String bottleneck() {
        if (modelBusyMsPerS() >= MODEL_SATURATED_MS_PER_S) {
            return stages.entrySet().stream().max(Comparator.comparingDouble(e -> e.getValue().inModel()))
                    .orElseThrow().getKey();
        }
        Map<String, Double> running = stageMsPerS();
        String task = bottleneckTask();
        return mode.stagesByOperator().entrySet().stream().filter(e -> task.contains(e.getKey()))
                .map(Map.Entry::getValue).filter(stage -> running.get(stage) > 0)
                .max(Comparator.comparingDouble(running::get))
                .orElseGet(() -> running.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey());
    }

    /**
     * Flink's way of finding a bottleneck: the busiest task (by its busiest subtask) that is not back-pressured,
     * so that nothing downstream holds it back and it has the least time to spare.
     */
    String bottleneckTask() {
        return tasks.stream().filter(t -> t.backpressured() < BACKPRESSURED_MS_PER_S)
                .max(Comparator.comparingDouble(TaskLoad::busy)).orElseThrow().task();
    }

    /** Time the shared model was running, ms per second: its calls are serialized, so at most about 1000. */
    double modelBusyMsPerS() {
        return stages.values().stream().mapToDouble(StageSampler.Load::inModel).sum();
    }

    /** Thread time spent queueing for the shared model, ms per second, all stages together. */
    double modelWaitMsPerS() {
        return stages.values().stream().mapToDouble(StageSampler.Load::waitingForModel).sum();
    }

    private static TaskLoad load(Vertex v, JobMetrics a, JobMetrics b, double seconds) {
        int busiest = 0;
        for (int i = 1; i < v.parallelism(); i++) {
            if (delta(v, i, BUSY, a, b) > delta(v, busiest, BUSY, a, b)) {
                busiest = i;
            }
        }
        // Flink derives busy time from the others at each read, so a nearly idle task can come out slightly negative
        return new TaskLoad(v.name(), v.parallelism(), Math.max(0, delta(v, busiest, BUSY, a, b)) / seconds,
                delta(v, busiest, BACKPRESSURED, a, b) / seconds, delta(v, busiest, IDLE, a, b) / seconds);
    }

    private static double delta(Vertex v, int subtask, String id, JobMetrics a, JobMetrics b) {
        return b.value(v, subtask, id) - a.value(v, subtask, id);
    }
}

package io.streamvl.jobs.bench.pipeline;

import io.streamvl.operators.model.SharedModels;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A sampling profiler of the Flink task threads of this JVM by pipeline stage: every {@value #INTERVAL_MILLIS} ms,
 * each task thread that is running or waiting for the shared model is charged to the stage whose code is innermost
 * on its stack, as running inside the model, running elsewhere, or queueing for the model. Every model call holds
 * one lock per JVM ({@code SharedModels}, a fair {@code ReentrantLock}), so Flink's busy time, and the operators'
 * own ms-per-call histograms, count that queueing as work; the samples tell them apart. Running time is wall time
 * in the state RUNNABLE, which includes native code (a TensorFlow run, FFmpeg, RocksDB) and time the thread waited
 * for a core.
 */
final class StageSampler implements AutoCloseable {
    static final String DECODE = "decode";
    static final String VISION = "vision";
    static final String PRE_FUSION = "pre-fusion";
    static final String TS_LLAVA_VISION = "ts-llava-vision";
    static final String GENERATION = "generation";
    static final String VIDEO_MEMORY = "video-memory";
    static final String CHECKPOINT = "checkpoint";

    private static final long INTERVAL_MILLIS = 50;
    /** A task's threads: the task's name, subtask index and count, attempt (also its flusher and fetcher threads). */
    private static final Pattern TASK_THREAD = Pattern.compile(".+ \\(\\d+/\\d+\\)#\\d+");
    private static final String MODEL_LOCK = "java.util.concurrent.locks.ReentrantLock$FairSync";
    private static final String MODEL_CALL = SharedModels.Lease.class.getName();

    /** A stage's thread time, ms per wall second, all its threads together. */
    record Load(double inModel, double elsewhere, double waitingForModel) {
        double running() {
            return inModel + elsewhere;
        }
    }

    /** What a stage's threads were seen doing, in thread samples. */
    private static final class Counts {
        long inModel;
        long elsewhere;
        long waitingForModel;
    }

    private final ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    /** The stages, by the class their code is in. */
    private final Map<String, String> stages;
    private final Map<String, Counts> counts = new LinkedHashMap<>();
    private final Thread sampler;
    private volatile boolean closed;
    private long samples;

    private StageSampler(Map<String, String> stages) {
        this.stages = stages;
        stages.values().forEach(stage -> counts.put(stage, new Counts()));
        sampler = new Thread(this::run, "bench-stage-sampler");
        sampler.setDaemon(true);
    }

    /** Samples the stages of the mode's pipeline. */
    static StageSampler start(ModeStages mode) {
        StageSampler s = new StageSampler(mode.stagesByClass());
        s.sampler.start();
        return s;
    }

    private void run() {
        while (!closed) {
            sample();
            try {
                Thread.sleep(INTERVAL_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void sample() {
        // names and states first, cheaply; stacks only of the task threads that may be charged
        List<Long> candidates = new ArrayList<>();
        for (ThreadInfo info : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (info != null && TASK_THREAD.matcher(info.getThreadName()).matches()
                    && (info.getThreadState() == Thread.State.RUNNABLE || waitsForModel(info))) {
                candidates.add(info.getThreadId());
            }
        }
        ThreadInfo[] stacks = mx.getThreadInfo(candidates.stream().mapToLong(Long::longValue).toArray(),
                Integer.MAX_VALUE);
        synchronized (this) {
            for (ThreadInfo info : stacks) {
                if (info != null) {
                    charge(info);
                }
            }
            samples++;
        }
    }

    /** Charges the thread to the stage whose code is innermost on its stack, if any. */
    private void charge(ThreadInfo info) {
        boolean waiting = waitsForModel(info);
        if (!waiting && info.getThreadState() != Thread.State.RUNNABLE) {
            return;
        }
        StackTraceElement[] stack = info.getStackTrace();
        boolean inModel = Arrays.stream(stack).anyMatch(f -> f.getClassName().equals(MODEL_CALL));
        for (StackTraceElement frame : stack) {
            String stage = stages.get(frame.getClassName());
            if (stage != null) {
                Counts c = counts.get(stage);
                if (waiting) {
                    c.waitingForModel++;
                } else if (inModel) {
                    c.inModel++;
                } else {
                    c.elsewhere++;
                }
                return;
            }
        }
    }

    private static boolean waitsForModel(ThreadInfo info) {
        return info.getLockName() != null && info.getLockName().startsWith(MODEL_LOCK);
    }

    /** Every stage's thread time so far, in the order of {@link ModeStages#stagesByClass}. */
    synchronized Map<String, Load> loads() {
        Map<String, Load> out = new LinkedHashMap<>();
        counts.forEach((stage, c) -> out.put(stage, new Load(1000.0 * c.inModel / samples,
                1000.0 * c.elsewhere / samples, 1000.0 * c.waitingForModel / samples)));
        return out;
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        sampler.interrupt();
        sampler.join();
    }
}

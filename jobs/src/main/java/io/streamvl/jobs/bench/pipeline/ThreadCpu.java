package io.streamvl.jobs.bench.pipeline;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * CPU time of this JVM's threads at one moment. Everything runs in the benchmark's JVM (Kafka broker, Flink tasks,
 * the cameras), so the difference of two snapshots says where the CPU went, by thread; threads the JVM does not
 * run as Java threads (TensorFlow's intra-op pool, RocksDB's background threads, GC, JIT) show only in the process's
 * total.
 */
record ThreadCpu(long processCpuNanos, Map<Long, Named> threads) {
    record Named(String name, long cpuNanos) {}

    static ThreadCpu now() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Map<Long, Named> threads = new HashMap<>();
        for (ThreadInfo info : mx.getThreadInfo(mx.getAllThreadIds())) {
            long cpu = info == null ? -1 : mx.getThreadCpuTime(info.getThreadId());
            if (cpu >= 0) {
                threads.put(info.getThreadId(), new Named(info.getThreadName(), cpu));
            }
        }
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        return new ThreadCpu(os.getProcessCpuTime(), threads);
    }

    /**
     * CPU ms per wall second from {@code before} to this snapshot: the process's, then per group of threads named
     * alike (digits masked, so a pool's threads add up), busiest first, the {@code top} busiest groups named and the
     * rest summed; "not java threads" is what the process used beyond its Java threads.
     */
    Map<String, Double> since(ThreadCpu before, double seconds, int top) {
        Map<String, Long> groups = new HashMap<>();
        long javaNanos = 0;
        for (var e : threads.entrySet()) {
            Named was = before.threads.get(e.getKey());
            long used = e.getValue().cpuNanos() - (was == null ? 0 : was.cpuNanos());
            javaNanos += used;
            groups.merge(e.getValue().name().replaceAll("[0-9]+", "#"), used, Long::sum);
        }
        long processNanos = processCpuNanos - before.processCpuNanos;
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("process", perSecond(processNanos, seconds));
        out.put("not java threads", perSecond(Math.max(0, processNanos - javaNanos), seconds));
        long[] rest = {0};
        groups.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).forEachOrdered(e -> {
            if (out.size() < top + 2) {
                out.put(e.getKey(), perSecond(e.getValue(), seconds));
            } else {
                rest[0] += e.getValue();
            }
        });
        out.put("other java threads", perSecond(rest[0], seconds));
        return out;
    }

    /** CPU ms per wall second from {@code before} to this snapshot of the threads whose names match. */
    double of(ThreadCpu before, double seconds, Pattern names) {
        long nanos = 0;
        for (var e : threads.entrySet()) {
            if (names.matcher(e.getValue().name()).matches()) {
                Named was = before.threads.get(e.getKey());
                nanos += e.getValue().cpuNanos() - (was == null ? 0 : was.cpuNanos());
            }
        }
        return perSecond(nanos, seconds);
    }

    private static double perSecond(long nanos, double seconds) {
        return nanos / 1e6 / seconds;
    }
}

package io.streamvl.models;

/** How benchmarks time a call: once untimed (allocator and kernel warm-up), then repeated for a minimum time. */
public final class Stopwatch {
    /** Long enough that scheduling noise on shared machines averages out. */
    public static final long MIN_TIMED_NANOS = 500_000_000L;

    private Stopwatch() {}

    /** Mean seconds per call over at least {@link #MIN_TIMED_NANOS} and at least two calls, after a warm-up call. */
    public static double secondsPerCall(Runnable call) {
        call.run();
        int reps = 0;
        long t0 = System.nanoTime();
        long elapsed;
        do {
            call.run();
            reps++;
            elapsed = System.nanoTime() - t0;
        } while (elapsed < MIN_TIMED_NANOS || reps < 2);
        return elapsed / 1e9 / reps;
    }
}

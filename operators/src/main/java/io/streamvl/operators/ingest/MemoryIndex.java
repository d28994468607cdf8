package io.streamvl.operators.ingest;

import java.util.Arrays;

/**
 * The event times of the frames one stream holds in its video memory, ascending, and their total
 * size. Kept beside the frames' map state because map iteration order differs between state
 * backends (RocksDB sorts by key bytes, the heap backend does not), and eviction needs the oldest.
 * A Flink POJO.
 */
public class MemoryIndex {
    public long[] times = new long[0];
    public long bytes;

    public MemoryIndex() {}

    int size() {
        return times.length;
    }

    long oldest() {
        return times[0];
    }

    long newest() {
        return times[times.length - 1];
    }

    boolean contains(long t) {
        return Arrays.binarySearch(times, t) >= 0;
    }

    /** Position of the first time at or after {@code t}; {@link #size()} when there is none. */
    int firstAtOrAfter(long t) {
        int i = Arrays.binarySearch(times, t);
        return i >= 0 ? i : -i - 1;
    }

    void add(long t) {
        int i = Arrays.binarySearch(times, t);
        if (i >= 0) {
            return;
        }
        int at = -i - 1;
        long[] next = new long[times.length + 1];
        System.arraycopy(times, 0, next, 0, at);
        next[at] = t;
        System.arraycopy(times, at, next, at + 1, times.length - at);
        times = next;
    }

    void removeOldest() {
        times = Arrays.copyOfRange(times, 1, times.length);
    }
}

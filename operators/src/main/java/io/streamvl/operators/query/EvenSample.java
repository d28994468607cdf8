package io.streamvl.operators.query;

/** Picks at most a given number of items evenly from a sequence, keeping its first and last. */
public final class EvenSample {
    private EvenSample() {}

    /**
     * Indices into a sequence of {@code n}, ascending: all of them when {@code n <= cap}, else {@code cap}
     * indices {@code round(k·(n-1)/(cap-1))}, which start at the first item and end at the last, so the picked
     * items span what the sequence spans. One pick is the middle item.
     */
    public static int[] indices(int n, int cap) {
        if (n < 0 || cap < 1) {
            throw new IllegalArgumentException("cannot pick " + cap + " of " + n);
        }
        int picks = Math.min(n, cap);
        int[] out = new int[picks];
        if (picks == n) {
            for (int i = 0; i < n; i++) {
                out[i] = i;
            }
        } else if (picks == 1) {
            out[0] = (n - 1) / 2;
        } else {
            long span = n - 1L;
            long steps = picks - 1L;
            for (int k = 0; k < picks; k++) {
                out[k] = (int) ((k * span + steps / 2) / steps);
            }
        }
        return out;
    }
}

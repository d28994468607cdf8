package io.streamvl.models.tsllava;

/**
 * {@code torch.round(torch.linspace(start, end, steps)).long()} as the reference computes it on the CPU,
 * where every evenly spaced choice in TS-LLaVA (thumbnail frames, sampled tokens) comes from.
 *
 * <p>The tensor is float32 (the default dtype), and the CPU kernel fills it from both ends: the first
 * {@code steps / 2} values are {@code start + step * i}, the rest {@code end - step * (steps - 1 - i)}, with
 * {@code step = (end - start) / (steps - 1)}, each operation rounded to float32. A double-precision
 * linspace lands on the other side of a .5 for a few values (2 of 2880 sampled tokens at 50 frames), and
 * the rounding is half-to-even, so both details decide which token is taken. Java float arithmetic rounds
 * every operation separately, which is what the kernel's source says; a build that fused the
 * multiply-subtract into one FMA would differ at one of those 2880 indices.
 */
public final class TorchLinspace {

    private TorchLinspace() {
    }

    /** The float32 values of {@code torch.linspace(start, end, steps)} on the CPU. */
    public static float[] float32(float start, float end, int steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("steps must be non-negative, got " + steps);
        }
        float[] values = new float[steps];
        if (steps == 1) {
            values[0] = start;
            return values;
        }
        float step = (end - start) / (float) (steps - 1);
        int halfway = steps / 2;
        for (int i = 0; i < steps; i++) {
            values[i] = i < halfway ? start + step * i : end - step * (steps - 1 - i);
        }
        return values;
    }

    /**
     * {@code clamp(round(linspace(0, last, steps)).long(), 0, last)}: {@code steps} indices into
     * {@code 0..last} that always include both ends, ascending, rounded half to even.
     */
    public static int[] roundedIndices(int last, int steps) {
        if (last < 0 || last >= 1 << 24) {
            throw new IllegalArgumentException("last index must be in [0, 2^24) to be exact in float32, got " + last);
        }
        float[] values = float32(0f, last, steps);
        int[] indices = new int[steps];
        for (int i = 0; i < steps; i++) {
            indices[i] = (int) Math.max(0, Math.min(last, Math.rint(values[i])));
        }
        return indices;
    }
}

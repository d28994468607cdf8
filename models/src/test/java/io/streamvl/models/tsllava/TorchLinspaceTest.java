package io.streamvl.models.tsllava;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TorchLinspaceTest {

    private static final int LAST_OF_50_FRAMES = 50 * 576 - 1;

    @Test
    void sampledTokenPositionsAt50FramesMatchTheReference() {
        int[] idx = TorchLinspace.roundedIndices(LAST_OF_50_FRAMES, 2880);
        assertThat(idx).hasSize(2880);
        assertThat(Arrays.copyOf(idx, 6)).containsExactly(0, 10, 20, 30, 40, 50);
        assertThat(Arrays.copyOfRange(idx, 2876, 2880)).containsExactly(28769, 28779, 28789, 28799);
        assertThat(Arrays.stream(idx).asLongStream().sum()).isEqualTo(41_470_562L);
        assertThat(Arrays.stream(idx).distinct().count()).isEqualTo(2880);
    }

    @Test
    void float32DiffersFromDoublePrecisionExactlyWhereAHalfFallsOnTheOtherSide() {
        assertThat(differencesFromDouble(50)).containsExactly(1759, 2399);
        assertThat(differencesFromDouble(32)).containsExactly(2079, 2186);
        assertThat(differencesFromDouble(49)).containsExactly(1734, 2323, 2846);
        assertThat(differencesFromDouble(64)).containsExactly(1049, 2708);
        assertThat(differencesFromDouble(100)).containsExactly(985, 1288);
        assertThat(differencesFromDouble(10)).isEmpty();

        // The float32 value is exactly .5 and rounds to even; the double is just below or above it.
        assertThat(TorchLinspace.float32(0f, LAST_OF_50_FRAMES, 2880)[1759]).isEqualTo(17595.5f);
        assertThat(doubleLinspace(LAST_OF_50_FRAMES, 2880)[1759]).isLessThan(17595.5);
        assertThat(TorchLinspace.roundedIndices(LAST_OF_50_FRAMES, 2880)[1759]).isEqualTo(17596);
        assertThat(TorchLinspace.float32(0f, LAST_OF_50_FRAMES, 2880)[2399]).isEqualTo(23997.5f);
        assertThat(TorchLinspace.roundedIndices(LAST_OF_50_FRAMES, 2880)[2399]).isEqualTo(23998);
    }

    @Test
    void aFusedMultiplySubtractWouldChangeOnlyOneOfTheDefaultPositions() {
        int steps = 2880;
        float step = (float) LAST_OF_50_FRAMES / (steps - 1);
        float[] plain = TorchLinspace.float32(0f, LAST_OF_50_FRAMES, steps);
        List<Integer> changed = new ArrayList<>();
        for (int i = steps / 2; i < steps; i++) {
            float fused = Math.fma(-step, (float) (steps - 1 - i), (float) LAST_OF_50_FRAMES);
            if (Math.rint(fused) != Math.rint(plain[i])) {
                changed.add(i);
            }
        }
        assertThat(changed).containsExactly(1759);
    }

    @Test
    void thumbnailPicksAlwaysIncludeFirstAndLast() {
        assertThat(TorchLinspace.roundedIndices(49, 6)).containsExactly(0, 10, 20, 29, 39, 49);
        assertThat(TorchLinspace.roundedIndices(99, 6)).containsExactly(0, 20, 40, 59, 79, 99);
        assertThat(TorchLinspace.roundedIndices(9, 6)).containsExactly(0, 2, 4, 5, 7, 9);
        assertThat(TorchLinspace.roundedIndices(7, 6)).containsExactly(0, 1, 3, 4, 6, 7);
        assertThat(TorchLinspace.roundedIndices(1, 6)).containsExactly(0, 0, 0, 1, 1, 1);
    }

    @Test
    void roundsHalfToEven() {
        assertThat(TorchLinspace.roundedIndices(1, 3)).containsExactly(0, 0, 1);
        assertThat(TorchLinspace.roundedIndices(3, 3)).containsExactly(0, 2, 3);
        assertThat(TorchLinspace.roundedIndices(5, 3)).containsExactly(0, 2, 5);
    }

    @Test
    void fillsTheSecondHalfBackwardsFromTheEnd() {
        float[] values = TorchLinspace.float32(0f, 1f, 4);
        float step = 1f / 3f;
        assertThat(values).containsExactly(0f, step, 1f - step, 1f);
        assertThat(values[2]).isNotEqualTo(2 * step);
    }

    @Test
    void degenerateStepCounts() {
        assertThat(TorchLinspace.float32(3f, 7f, 0)).isEmpty();
        assertThat(TorchLinspace.float32(3f, 7f, 1)).containsExactly(3f);
        assertThat(TorchLinspace.float32(3f, 7f, 2)).containsExactly(3f, 7f);
        assertThat(TorchLinspace.roundedIndices(0, 3)).containsExactly(0, 0, 0);
        assertThatThrownBy(() -> TorchLinspace.float32(0f, 1f, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TorchLinspace.roundedIndices(-1, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TorchLinspace.roundedIndices(1 << 24, 2))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static List<Integer> differencesFromDouble(int frames) {
        int last = frames * 576 - 1;
        int[] float32 = TorchLinspace.roundedIndices(last, 2880);
        double[] exact = doubleLinspace(last, 2880);
        List<Integer> differing = new ArrayList<>();
        for (int i = 0; i < float32.length; i++) {
            if (float32[i] != (int) Math.rint(exact[i])) {
                differing.add(i);
            }
        }
        return differing;
    }

    /** The same two-ended formula in double precision, as a float64 port would compute it. */
    private static double[] doubleLinspace(int last, int steps) {
        double step = (double) last / (steps - 1);
        double[] values = new double[steps];
        for (int i = 0; i < steps; i++) {
            values[i] = i < steps / 2 ? step * i : last - step * (steps - 1 - i);
        }
        return values;
    }
}

package io.streamvl.models.tsllava;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class FrameIndicesTest {

    @Test
    void segmentMiddlesOf300FramesAreSixApartWithOneRoundingStep() {
        int[] expected = IntStream.range(0, 50).map(i -> i < 25 ? 3 + 6 * i : 2 + 6 * i).toArray();
        assertThat(FrameIndices.select(300, 50)).containsExactly(expected);
        assertThat(Arrays.copyOfRange(expected, 23, 27)).containsExactly(141, 147, 152, 158);
    }

    @Test
    void exactlyFiftyFramesRepeatFrame24AndSkipTheLast() {
        int[] expected = IntStream.range(0, 50).map(i -> i <= 24 ? i : i - 1).toArray();
        assertThat(FrameIndices.select(50, 50)).containsExactly(expected);
    }

    @Test
    void longVideosAndOneFrameMore() {
        int[] thousand = FrameIndices.select(1000, 50);
        assertThat(Arrays.copyOf(thousand, 5)).containsExactly(10, 30, 50, 70, 90);
        assertThat(Arrays.copyOfRange(thousand, 47, 50)).containsExactly(949, 969, 989);
        assertThat(FrameIndices.select(51, 50)).containsExactly(IntStream.range(0, 50).toArray());
    }

    @Test
    void shortVideosGiveFewerFramesWithRepeatsAsTheReferenceDoes() {
        assertThat(FrameIndices.select(6, 50)).containsExactly(0, 1, 2, 2, 3, 4);
        assertThat(FrameIndices.select(10, 50)).containsExactly(0, 1, 2, 3, 4, 4, 5, 6, 7, 8);
        assertThat(FrameIndices.select(1, 50)).containsExactly(0);
    }

    @Test
    void rejectsEmptyVideosAndBadCounts() {
        assertThatThrownBy(() -> FrameIndices.select(0, 50)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FrameIndices.select(10, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FrameIndices.segmentMiddles(10, -1)).isInstanceOf(IllegalArgumentException.class);
    }
}

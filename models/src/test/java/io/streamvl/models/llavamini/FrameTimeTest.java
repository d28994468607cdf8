package io.streamvl.models.llavamini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamvl.models.ModelFormatException;
import io.streamvl.models.weights.InMemoryTensors;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameTimeTest {
    @Test
    void placesRunFromMinusAHalfToAHalfWhateverTheCount() {
        assertThat(FrameTime.places(4)).containsExactly(-0.5f, -0.5f + 1f / 3, -0.5f + 2f / 3, 0.5f);
        assertThat(FrameTime.places(2)).containsExactly(-0.5f, 0.5f);
        assertThat(FrameTime.places(1)).containsExactly(0f);
        assertThat(FrameTime.place(9, 10)).isEqualTo(0.5f);
    }

    @Test
    void addsThePlaceTimesTheVectorToEveryTokenOfAFrameWithoutTouchingTheStoredOnes() {
        InMemoryTensors weights = new InMemoryTensors();
        weights.put(FrameTime.TENSOR, new float[] {2f, -4f}, new long[] {2});
        FrameTime time = FrameTime.load(weights, 2);
        float[][] first = {{1f, 1f}, {0f, 0f}};
        float[][] second = {{1f, 1f}, {0f, 0f}};
        List<float[][]> timed = time.apply(List.of(first, second));
        assertThat(timed.get(0)).isDeepEqualTo(new float[][] {{0f, 3f}, {-1f, 2f}});
        assertThat(timed.get(1)).isDeepEqualTo(new float[][] {{2f, -1f}, {1f, -2f}});
        assertThat(first).isDeepEqualTo(new float[][] {{1f, 1f}, {0f, 0f}});
    }

    @Test
    void aBundleWithoutTheVectorRunsAsTheReference() {
        FrameTime none = FrameTime.load(new InMemoryTensors(), 8);
        assertThat(none.present()).isFalse();
        List<float[][]> frames = List.of(new float[][] {{1f}}, new float[][] {{2f}});
        assertThat(none.apply(frames)).isSameAs(frames);
    }

    @Test
    void rejectsAVectorOfAnotherWidth() {
        InMemoryTensors weights = new InMemoryTensors();
        weights.put(FrameTime.TENSOR, new float[3], new long[] {3});
        assertThatThrownBy(() -> FrameTime.load(weights, 4)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("[4]");
    }
}

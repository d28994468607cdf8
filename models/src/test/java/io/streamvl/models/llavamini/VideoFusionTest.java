package io.streamvl.models.llavamini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class VideoFusionTest {
    private static final int D = PreFusionTest.D;
    private static final int[] IDS = PreFusionTest.IDS;

    @Test
    void videoInputIsTextMeanAroundConcatenatedCompressedTokens() {
        List<FrameTokens> frames = PreFusionTest.frames(4, 6, 1, 21);
        FusionText t = PreFusionTest.text(IDS, 1);
        try (PreFusion fusion = PreFusionTest.load(4)) {
            List<FusedFrame> fused = fusion.fuse(frames, t);
            float[][] input = VideoFusion.input(fusion, frames, t);
            int p = t.placeholder();
            assertThat(input).hasNumberOfRows(IDS.length - 1 + 4);
            for (int j = 0; j < IDS.length; j++) {
                if (j == p) {
                    continue;
                }
                float[] row = input[j < p ? j : j - 1 + 4];
                for (int e = 0; e < D; e++) {
                    double mean = 0;
                    for (FusedFrame f : fused) {
                        mean += f.text()[j][e];
                    }
                    assertThat((double) row[e]).isCloseTo(mean / 4, within(1e-6));
                }
            }
            for (int f = 0; f < 4; f++) {
                assertThat(input[p + f]).containsExactly(fused.get(f).compressed()[0]);
            }
        }
    }

    @Test
    void streamingPathEqualsBatchPath() {
        List<FrameTokens> frames = PreFusionTest.frames(3, 6, 1, 22);
        FusionText t = PreFusionTest.text(IDS, 1);
        try (PreFusion fusion = PreFusionTest.load(3)) {
            float[][] batch = VideoFusion.input(fusion, frames, t);
            List<FusedFrame> fused = fusion.fuse(frames, t);

            RunningTextFusion running = new RunningTextFusion(t.length(), t.width());
            running.add(fused.get(0).text());
            RunningTextFusion restored = new RunningTextFusion(running.state());
            for (int f = 1; f < 3; f++) {
                restored.add(fused.get(f).text());
            }
            assertThat(restored.frames()).isEqualTo(3);
            List<float[][]> stored = new ArrayList<>();
            for (FrameTokens frame : frames) {
                stored.add(fusion.compressedTokens(List.of(frame)).get(0));
            }
            float[][] streamed = LlavaMiniInput.assemble(restored.mean(), t.placeholder(), stored);
            assertThat(streamed).hasNumberOfRows(batch.length);
            for (int j = 0; j < batch.length; j++) {
                boolean visual = j >= t.placeholder() && j < t.placeholder() + 3;
                if (visual) {
                    for (int e = 0; e < D; e++) {
                        assertThat(streamed[j][e]).isCloseTo(batch[j][e], within(1e-5f));
                    }
                } else {
                    assertThat(streamed[j]).as("text row %d is the same running mean", j).containsExactly(batch[j]);
                }
            }
        }
    }

    @Test
    void assemblyPlacesEveryFramesTokensAtThePlaceholder() {
        float[][] text = {{0}, {1}, {2}, {3}};
        List<float[][]> frames = List.of(new float[][] {{10}, {11}}, new float[][] {{20}, {21}});
        float[][] out = LlavaMiniInput.assemble(text, 1, frames);
        assertThat(out).isDeepEqualTo(new float[][] {{0}, {10}, {11}, {20}, {21}, {2}, {3}});
        assertThat(LlavaMiniInput.assemble(text, 0, List.<float[][]>of(new float[][] {{9}}))).isDeepEqualTo(new float[][] {{9}, {1}, {2}, {3}});
        assertThat(LlavaMiniInput.assemble(text, 3, List.<float[][]>of(new float[][] {{9}}))).isDeepEqualTo(new float[][] {{0}, {1}, {2}, {9}});
        assertThatThrownBy(() -> LlavaMiniInput.assemble(text, 4, frames)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LlavaMiniInput.assemble(text, 1, List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LlavaMiniInput.assemble(text, 1, List.<float[][]>of(new float[][] {{1, 2}})))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("width");
    }

    @Test
    void runningFusionRejectsMisfitsAndEmptyMeans() {
        RunningTextFusion r = new RunningTextFusion(2, 3);
        assertThatThrownBy(r::mean).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> r.add(new float[3][3])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> r.add(new float[2][4])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RunningTextFusion(new RunningTextFusion.State(2, 3, 1, new double[5])))
                .isInstanceOf(IllegalArgumentException.class);
        r.add(new float[][] {{1, 2, 3}, {4, 5, 6}});
        r.add(new float[][] {{3, 2, 1}, {0, 1, 2}});
        assertThat(r.mean()).isDeepEqualTo(new float[][] {{2, 2, 2}, {2, 3, 4}});
    }
}

package io.streamvl.models.llavamini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.streamvl.models.ModelFormatException;
import io.streamvl.models.vision.VisionOptions;
import io.streamvl.models.weights.InMemoryTensors;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CompressorTest {
    private static final String PREFIX = CompressorWeights.DEFAULT_PREFIX;
    private static final int D = TinyLlavaMiniParts.VISION_WIDTH;
    /** PyTorch bicubic (A = -0.75, align_corners=False) weights of a 2 -> 4 resize, derived by hand from its formula. */
    private static final double[][] RESIZE_2_TO_4 = {
        {1.10546875, -0.10546875}, {0.7734375, 0.2265625}, {0.2265625, 0.7734375}, {-0.10546875, 1.10546875}};

    @Test
    void oneQueryMatchesReferenceOverABatchOfFrames() {
        InMemoryTensors w = TinyLlavaMiniParts.compressor(PREFIX, 1, D, true, 11);
        double[] constant = new double[D];
        for (int i = 0; i < D; i++) {
            constant[i] = (i / (D / 4)) % 2;
        }
        int m = 9;
        double[][] keyPos = new double[m][];
        java.util.Arrays.fill(keyPos, constant);
        checkAgainstReference(w, 5, m, keyPos, new double[][] {constant});
    }

    @Test
    void fourQueriesUseBicubicKeyPositionsAndComputedTableWhenAbsent() {
        InMemoryTensors w = TinyLlavaMiniParts.compressor(PREFIX, 2, D, false, 12);
        float[] grid = SinCos2d.grid(D, 2);
        double[][] queryPos = new double[4][D];
        double[][] keyPos = new double[16][D];
        for (int q = 0; q < 4; q++) {
            for (int e = 0; e < D; e++) {
                queryPos[q][e] = grid[q * D + e];
            }
        }
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                for (int sy = 0; sy < 2; sy++) {
                    for (int sx = 0; sx < 2; sx++) {
                        for (int e = 0; e < D; e++) {
                            keyPos[y * 4 + x][e] += RESIZE_2_TO_4[y][sy] * RESIZE_2_TO_4[x][sx] * grid[(sy * 2 + sx) * D + e];
                        }
                    }
                }
            }
        }
        checkAgainstReference(w, 3, 16, keyPos, queryPos);
    }

    private static void checkAgainstReference(InMemoryTensors w, int frames, int m, double[][] keyPos, double[][] queryPos) {
        SplittableRandom r = new SplittableRandom(3);
        float[][][] features = new float[frames][][];
        float[] flat = new float[frames * m * D];
        for (int f = 0; f < frames; f++) {
            features[f] = TinyLlavaMiniParts.rows(r, m, D);
            for (int i = 0; i < m; i++) {
                System.arraycopy(features[f][i], 0, flat, (f * m + i) * D, D);
            }
        }
        ReferenceCompressor ref = new ReferenceCompressor(w, PREFIX, TinyLlavaMiniParts.HEADS);
        try (Compressor c = Compressor.load(w, PREFIX, TinyLlavaMiniParts.HEADS, options(2))) {
            int q = c.tokensPerFrame();
            assertThat(q).isEqualTo(queryPos.length);
            float[] out = c.compress(flat, frames);
            assertThat(out).hasSize(frames * q * D);
            for (int f = 0; f < frames; f++) {
                double[][] expected = ref.compress(features[f], keyPos, queryPos);
                for (int i = 0; i < q; i++) {
                    for (int e = 0; e < D; e++) {
                        assertThat((double) out[(f * q + i) * D + e]).as("frame %d query %d dim %d", f, i, e)
                                .isCloseTo(expected[i][e], within(1e-4));
                    }
                }
            }
        }
    }

    @Test
    void sinCosTableEncodesColumnThenRow() {
        float[] one = SinCos2d.grid(8, 1);
        assertThat(one).containsExactly(0, 0, 1, 1, 0, 0, 1, 1);
        float[] grid = SinCos2d.grid(8, 2);
        int cell = 1;
        float[] expected = {(float) Math.sin(1), (float) Math.sin(0.01), (float) Math.cos(1), (float) Math.cos(0.01), 0, 0, 1, 1};
        for (int e = 0; e < 8; e++) {
            assertThat(grid[cell * 8 + e]).isCloseTo(expected[e], within(1e-6f));
        }
        assertThatThrownBy(() -> SinCos2d.grid(6, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void bicubicMatchesHandDerivedWeightsAndKeepsConstants() {
        float[] ramp = {0, 1, 0, 1};
        float[] resized = Bicubic.resize(ramp, 2, 1, 4);
        for (int x = 0; x < 4; x++) {
            assertThat(resized[x]).isCloseTo((float) RESIZE_2_TO_4[x][1], within(1e-6f));
            assertThat(resized[12 + x]).isCloseTo((float) RESIZE_2_TO_4[x][1], within(1e-6f));
        }
        float[] constant = Bicubic.resize(new float[] {0.5f, -2f}, 1, 2, 24);
        for (int i = 0; i < 24 * 24; i++) {
            assertThat(constant[2 * i]).isCloseTo(0.5f, within(1e-6f));
            assertThat(constant[2 * i + 1]).isCloseTo(-2f, within(1e-6f));
        }
        assertThat(Bicubic.resize(ramp, 2, 1, 2)).containsExactly(ramp);
    }

    @Test
    void rejectsBadCheckpointsAndInputs() {
        InMemoryTensors w = TinyLlavaMiniParts.compressor("c.", 1, D, true, 1);
        assertThatThrownBy(() -> Compressor.load(w, PREFIX, 4, options(1)))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("model.compressor.query");
        assertThatThrownBy(() -> Compressor.load(w.put("c.attn.in_proj_bias", new float[D], D), "c.", 4, options(1)))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("c.attn.in_proj_bias");
        InMemoryTensors ok = TinyLlavaMiniParts.compressor("c.", 1, D, true, 1);
        assertThatThrownBy(() -> Compressor.load(ok, "c.", 3, options(1)))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("heads");
        InMemoryTensors threeQueries = TinyLlavaMiniParts.compressor("c.", 1, D, false, 1).put("c.query", new float[3 * D], 3, D);
        assertThatThrownBy(() -> Compressor.load(threeQueries, "c.", 4, options(1)))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("square");
        InMemoryTensors kvProj = TinyLlavaMiniParts.compressor("c.", 1, D, true, 1).put("c.kv_proj.weight", new float[D * D], D, D);
        assertThatThrownBy(() -> Compressor.load(kvProj, "c.", 4, options(1)))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("kv_proj");
        try (Compressor c = Compressor.load(ok, "c.", 4, options(1))) {
            assertThatThrownBy(() -> c.compress(new float[8 * D], 1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("square");
            assertThatThrownBy(() -> c.compress(new float[9 * D + 1], 1))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    private static VisionOptions options(int maxBatch) {
        return VisionOptions.defaults().withThreads(2, 1).withMaxBatch(maxBatch);
    }
}

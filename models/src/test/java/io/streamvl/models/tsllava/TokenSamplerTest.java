package io.streamvl.models.tsllava;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TokenSamplerTest {

    @Test
    void defaultSamplingTakes57Or58TokensFromEachOfFiftyFrames() {
        TokenSampler sampler = new TokenSampler(50, 576, 2880);
        assertThat(sampler.count()).isEqualTo(2880);
        assertThat(sampler.patchesOf(0)).containsExactly(IntStream.range(0, 58).map(i -> 10 * i).toArray());
        int total = 0;
        for (int f = 0; f < 50; f++) {
            int n = sampler.patchesOf(f).length;
            assertThat(n).isBetween(57, 58);
            total += n;
        }
        assertThat(total).isEqualTo(2880);
        int[] last = sampler.patchesOf(49);
        assertThat(last[last.length - 1]).isEqualTo(575);
        int[] positions = sampler.positions();
        for (int i = 1; i < positions.length; i++) {
            assertThat(positions[i] - positions[i - 1]).isBetween(10, 11);
        }
    }

    @Test
    void samplesRowsAtTheFlatPositionsInOrder() {
        int frames = 3;
        int perFrame = 4;
        int dim = 2;
        TokenSampler sampler = new TokenSampler(frames, perFrame, 5);
        assertThat(sampler.positions()).containsExactly(0, 3, 6, 8, 11);
        float[][] rows = sampler.sample(tokens(frames, perFrame, dim), dim);
        assertThat(rows).hasNumberOfRows(5);
        int[] positions = sampler.positions();
        for (int i = 0; i < rows.length; i++) {
            assertThat(rows[i]).containsExactly(positions[i] * 10f, positions[i] * 10f + 1);
        }
    }

    @Test
    void collectorTakesFramesInAnyOrderFullOrSampledOnly() {
        int dim = 3;
        TokenSampler sampler = new TokenSampler(4, 6, 9);
        List<float[]> all = tokens(4, 6, dim);
        float[][] expected = sampler.sample(all, dim);

        TokenSampler.Collector collector = sampler.collector(dim);
        collector.accept(2, all.get(2));
        collector.acceptSampled(0, sampledRows(all.get(0), sampler.patchesOf(0), dim));
        collector.accept(3, all.get(3));
        assertThat(collector.complete()).isFalse();
        assertThatThrownBy(collector::tokens).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("1 of 4");
        collector.acceptSampled(1, sampledRows(all.get(1), sampler.patchesOf(1), dim));
        assertThat(collector.complete()).isTrue();
        assertThat(collector.tokens()).isDeepEqualTo(expected);
    }

    @Test
    void rejectsBadShapesRepeatsAndTooFewTokens() {
        TokenSampler sampler = new TokenSampler(2, 4, 3);
        TokenSampler.Collector collector = sampler.collector(2);
        assertThatThrownBy(() -> collector.accept(0, new float[7])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("4 tokens of 2 floats");
        assertThatThrownBy(() -> collector.acceptSampled(0, new float[1])).isInstanceOf(IllegalArgumentException.class);
        collector.accept(0, new float[8]);
        assertThatThrownBy(() -> collector.accept(0, new float[8])).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> collector.accept(2, new float[8])).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> sampler.sample(List.of(new float[8]), 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sampler.collector(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TokenSampler(4, 576, 2880)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2304 tokens");
        assertThat(new TokenSampler(5, 576, 2880).positions()).containsExactly(IntStream.range(0, 2880).toArray());
        assertThat(new TokenSampler(3, 4, 0).count()).isZero();
    }

    /** Token {@code t} of the flat sequence is {@code [10t, 10t + 1, ...]}. */
    private static List<float[]> tokens(int frames, int perFrame, int dim) {
        List<float[]> all = new ArrayList<>();
        for (int f = 0; f < frames; f++) {
            float[] frame = new float[perFrame * dim];
            for (int p = 0; p < perFrame; p++) {
                for (int d = 0; d < dim; d++) {
                    frame[p * dim + d] = (f * perFrame + p) * 10f + d;
                }
            }
            all.add(frame);
        }
        return all;
    }

    private static float[] sampledRows(float[] frame, int[] patches, int dim) {
        float[] rows = new float[patches.length * dim];
        for (int i = 0; i < patches.length; i++) {
            System.arraycopy(frame, patches[i] * dim, rows, i * dim, dim);
        }
        return rows;
    }
}

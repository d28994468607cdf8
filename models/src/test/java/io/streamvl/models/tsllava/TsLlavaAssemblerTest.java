package io.streamvl.models.tsllava;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamvl.models.text.PromptTokens;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TsLlavaAssemblerTest {

    private static final int M = PromptTokens.IMAGE_MARKER;

    /** 8 frames, a 2x2 thumbnail, 10 sampled tokens, 4 tokens per 4x4 image. */
    private static final TsLlavaConfig TINY = new TsLlavaConfig(8, 4, 10, 4, 4, 4);

    @Test
    void defaultsAreV2() {
        TsLlavaConfig config = TsLlavaConfig.DEFAULT;
        assertThat(config.frames()).isEqualTo(50);
        assertThat(config.visualTokens()).isEqualTo(3456);
        assertThat(config.minimumFrames()).isEqualTo(6);
        assertThat(new TsLlavaConfig(50, 4, 2880, 576, 336, 336).minimumFrames()).isEqualTo(5);
    }

    @Test
    void planForFiftyFramesUsesTheReferenceFramesAndThumbnailSlots() {
        TsLlavaPlan plan = new TsLlavaAssembler(TsLlavaConfig.DEFAULT).plan(50);
        assertThat(plan.slots()).isEqualTo(50);
        assertThat(plan.frames()).containsExactly(IntStream.range(0, 50).map(i -> i <= 24 ? i : i - 1).toArray());
        assertThat(plan.thumbnailSlots()).containsExactly(0, 10, 20, 29, 39, 49);
        assertThat(plan.thumbnailFrames()).containsExactly(0, 10, 20, 28, 38, 48);
        assertThat(plan.sampler().count()).isEqualTo(2880);
        assertThat(plan.sampler().frames()).isEqualTo(50);
        assertThat(plan).isEqualTo(new TsLlavaAssembler(TsLlavaConfig.DEFAULT).plan(50))
                .isNotEqualTo(new TsLlavaAssembler(TsLlavaConfig.DEFAULT).plan(51));
    }

    @Test
    void planOverALongerWindowAndAShortOne() {
        TsLlavaAssembler assembler = new TsLlavaAssembler(TsLlavaConfig.DEFAULT);
        assertThat(assembler.plan(300).thumbnailFrames()).containsExactly(3, 63, 123, 176, 236, 296);
        TsLlavaPlan shortPlan = assembler.plan(10);
        assertThat(shortPlan.frames()).containsExactly(0, 1, 2, 3, 4, 4, 5, 6, 7, 8);
        assertThat(shortPlan.thumbnailSlots()).containsExactly(0, 2, 4, 5, 7, 9);
        assertThat(shortPlan.sampler().frames()).isEqualTo(10);
        assertThatThrownBy(() -> assembler.plan(5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 6 frames");
        assertThatThrownBy(() -> assembler.plan(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void visualTokensAreSampledFirstThenTheThumbnail() {
        TsLlavaAssembler assembler = new TsLlavaAssembler(TINY);
        TsLlavaPlan plan = assembler.plan(20);
        int dim = 2;
        List<float[]> slots = new ArrayList<>();
        for (int s = 0; s < plan.slots(); s++) {
            float[] tokens = new float[4 * dim];
            for (int p = 0; p < 4; p++) {
                tokens[p * dim] = s;
                tokens[p * dim + 1] = p;
            }
            slots.add(tokens);
        }
        float[] thumbnail = new float[4 * dim];
        for (int p = 0; p < 4; p++) {
            thumbnail[p * dim] = -1;
            thumbnail[p * dim + 1] = p;
        }
        float[][] visual = assembler.visualTokens(plan, slots, thumbnail);
        assertThat(visual).hasNumberOfRows(14);
        int[] positions = plan.sampler().positions();
        for (int i = 0; i < 10; i++) {
            assertThat(visual[i]).containsExactly(positions[i] / 4, positions[i] % 4);
        }
        for (int p = 0; p < 4; p++) {
            assertThat(visual[10 + p]).containsExactly(-1, p);
        }
    }

    @Test
    void theImageMarkerIsReplacedInPlaceByTheVisualTokens() {
        PromptTokens prompt = new PromptTokens(new int[] {1, 5, 6, M, 7, 8}, new int[] {3});
        float[][] visual = {{-1, -1, -1}, {-2, -2, -2}};
        List<int[]> calls = new ArrayList<>();
        float[][] rows = TsLlavaAssembler.inputEmbeddings(prompt, visual, embedder(3, calls));
        assertThat(calls).hasSize(1);
        assertThat(calls.get(0)).containsExactly(1, 5, 6, 7, 8);
        assertThat(rows).hasNumberOfRows(7);
        float[] firstColumn = new float[rows.length];
        for (int i = 0; i < rows.length; i++) {
            firstColumn[i] = rows[i][0];
        }
        assertThat(firstColumn).containsExactly(1, 5, 6, -1, -2, 7, 8);
        assertThat(rows[0]).containsExactly(1, 1.5f, 2);
        assertThat(rows[3]).isSameAs(visual[0]);
    }

    @Test
    void fullSizeAssemblyHasTheReferenceLength() {
        TsLlavaAssembler assembler = new TsLlavaAssembler(TsLlavaConfig.DEFAULT);
        int dim = 2;
        float[][] sampled = new float[2880][dim];
        float[][] visual = assembler.visualTokens(sampled, new float[576 * dim]);
        PromptTokens prompt = new PromptTokens(new int[] {1, 3148, 29901, M, 13, 1576}, new int[] {3});
        float[][] rows = TsLlavaAssembler.inputEmbeddings(prompt, visual, embedder(dim, new ArrayList<>()));
        assertThat(rows).hasNumberOfRows(5 + 3456);
        assertThat(rows[2][0]).isEqualTo(29901f);
        assertThat(rows[3 + 3456][0]).isEqualTo(13f);
    }

    @Test
    void rejectsMismatchedShapesAndPrompts() {
        TsLlavaAssembler assembler = new TsLlavaAssembler(TINY);
        assertThatThrownBy(() -> assembler.visualTokens(new float[10][2], new float[7]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("4 rows");
        assertThatThrownBy(() -> assembler.visualTokens(new float[9][2], new float[8]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected 10 sampled");
        assertThatThrownBy(() -> assembler.visualTokens(new float[10][3], new float[8]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("thumbnail's have 2");
        float[][] visual = {{0, 0}};
        Function<int[], float[]> embed = embedder(2, new ArrayList<>());
        assertThatThrownBy(() -> TsLlavaAssembler.inputEmbeddings(
                new PromptTokens(new int[] {1, 2}, new int[0]), visual, embed))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exactly one");
        assertThatThrownBy(() -> TsLlavaAssembler.inputEmbeddings(
                new PromptTokens(new int[] {M, 1, M}, new int[] {0, 2}), visual, embed))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TsLlavaAssembler.inputEmbeddings(
                new PromptTokens(new int[] {1, M}, new int[] {1}), new float[][] {{0, 0, 0}}, embed))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3 wide");
    }

    @Test
    void rejectsInconsistentConfigs() {
        assertThatThrownBy(() -> new TsLlavaConfig(5, 6, 2880, 576, 336, 336))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TsLlavaConfig(50, 0, 2880, 576, 336, 336))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TsLlavaConfig(4, 4, 2880, 576, 336, 336))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sampled tokens");
        assertThatThrownBy(() -> new TsLlavaConfig(50, 6, 2880, 0, 336, 336))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TsLlavaConfig(50, 6, 2880, 576, 32, 32))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tiled");
        assertThat(new TsLlavaConfig(50, 6, 0, 576, 336, 336).visualTokens()).isEqualTo(576);
    }

    /** Embeds id {@code i} as {@code [i, i + 0.5, i + 1, ...]} and records each call. */
    private static Function<int[], float[]> embedder(int dim, List<int[]> calls) {
        return ids -> {
            calls.add(ids.clone());
            float[] flat = new float[ids.length * dim];
            for (int i = 0; i < ids.length; i++) {
                for (int d = 0; d < dim; d++) {
                    flat[i * dim + d] = ids[i] + 0.5f * d;
                }
            }
            return flat;
        };
    }
}

package io.streamvl.models.llavamini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.streamvl.models.ModelFormatException;
import io.streamvl.models.llama.DecoderOptions;
import io.streamvl.models.text.PromptTokens;
import io.streamvl.models.weights.InMemoryTensors;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PreFusionTest {
    static final String PREFIX = PreFusion.DEFAULT_PREFIX;
    static final int LAYERS = 2;
    static final int D = TinyLlavaMiniParts.LLM.hiddenSize();
    /** BOS, a word, the placeholder, token 0 (masked like the reference does), more words. */
    static final int[] IDS = {1, 7, PromptTokens.IMAGE_MARKER, 9, 0, 12, 3};

    static final InMemoryTensors WEIGHTS = TinyLlavaMiniParts.prefusion(TinyLlavaMiniParts.LLM, LAYERS, PREFIX, 5);

    static List<FrameTokens> frames(int n, int patches, int compressed, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<FrameTokens> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new FrameTokens(TinyLlavaMiniParts.rows(r, patches, D), TinyLlavaMiniParts.rows(r, compressed, D)));
        }
        return out;
    }

    static FusionText text(int[] ids, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] table = TinyLlavaMiniParts.rows(r, TinyLlavaMiniParts.LLM.vocabSize(), D);
        int[] lookup = FusionText.lookupIds(ids);
        float[][] e = new float[ids.length][];
        for (int i = 0; i < ids.length; i++) {
            e[i] = table[lookup[i]].clone();
        }
        return new FusionText(ids, e);
    }

    static PreFusion load(int framesPerRun) {
        return PreFusion.load(TinyLlavaMiniParts.LLM, LAYERS, PREFIX, WEIGHTS,
                DecoderOptions.defaults().withThreads(2, 1).withMaxBatch(framesPerRun));
    }

    @Test
    void positionsAndMaskFollowCumsumOfVisibleColumns() {
        FusionText t = text(IDS, 1);
        assertThat(PreFusion.mask(3, t)).containsExactly(1, 1, 1, 1, 1, 0, 1, 0, 1, 1);
        assertThat(PreFusion.positions(3, t)).containsExactly(0, 1, 2, 3, 4, 1, 5, 1, 6, 7);
        assertThat(t.placeholder()).isEqualTo(2);
    }

    @Test
    void fusedOutputsMatchReference() {
        ReferencePreFusion ref = new ReferencePreFusion(TinyLlavaMiniParts.LLM, WEIGHTS, PREFIX, LAYERS);
        FusionText t = text(IDS, 1);
        for (int c2 : new int[] {1, 4}) {
            List<FrameTokens> frames = frames(3, 9, c2, 2);
            try (PreFusion fusion = load(2)) {
                List<FusedFrame> fused = fusion.fuse(frames, t);
                assertThat(fused).hasSize(3);
                for (int f = 0; f < 3; f++) {
                    FrameTokens frame = frames.get(f);
                    int v = frame.visionLength();
                    float[][] x = new float[v + IDS.length][];
                    System.arraycopy(frame.image(), 0, x, 0, 9);
                    System.arraycopy(frame.compressed(), 0, x, 9, c2);
                    System.arraycopy(t.embeddings(), 0, x, v, IDS.length);
                    double[][] expected = ref.forward(x, PreFusion.positions(v, t), PreFusion.mask(v, t));
                    FusedFrame out = fused.get(f);
                    assertThat(out.compressed()).hasNumberOfRows(c2);
                    for (int i = 0; i < c2; i++) {
                        assertClose(out.compressed()[i], expected[9 + i], "Z' frame " + f + " token " + i);
                    }
                    assertThat(out.text()).hasNumberOfRows(IDS.length);
                    for (int j = 0; j < IDS.length; j++) {
                        if (IDS[j] > 0) {
                            assertClose(out.text()[j], expected[v + j], "T' frame " + f + " column " + j);
                        } else {
                            assertThat(out.text()[j]).as("hidden column %d keeps its embedding", j)
                                    .containsExactly(t.embeddings()[j]);
                        }
                    }
                }
            }
        }
    }

    @Test
    void compressedTokensArePromptIndependent() {
        List<FrameTokens> frames = frames(3, 9, 1, 4);
        try (PreFusion fusion = load(2)) {
            List<float[][]> alone = fusion.compressedTokens(frames);
            for (int[] ids : new int[][] {IDS, {PromptTokens.IMAGE_MARKER, 4}, {1, 2, 3, 5, 8, 13, 21, PromptTokens.IMAGE_MARKER}}) {
                List<FusedFrame> fused = fusion.fuse(frames, text(ids, 9));
                for (int f = 0; f < 3; f++) {
                    float[] a = alone.get(f)[0];
                    float[] b = fused.get(f).compressed()[0];
                    for (int e = 0; e < D; e++) {
                        assertThat(a[e]).isCloseTo(b[e], within(1e-5f));
                    }
                }
            }
        }
    }

    @Test
    void framesPerRunDoesNotChangeResults() {
        List<FrameTokens> frames = frames(5, 4, 1, 6);
        FusionText t = text(IDS, 1);
        try (PreFusion one = load(1); PreFusion many = load(3)) {
            List<FusedFrame> a = one.fuse(frames, t);
            List<FusedFrame> b = many.fuse(frames, t);
            for (int f = 0; f < 5; f++) {
                for (int j = 0; j < IDS.length; j++) {
                    for (int e = 0; e < D; e++) {
                        assertThat(a.get(f).text()[j][e]).isCloseTo(b.get(f).text()[j][e], within(1e-5f));
                    }
                }
            }
        }
    }

    @Test
    void oneFrameWithSeveralPromptsOfDifferentLengthsIsEachPromptAlone() {
        FrameTokens frame = frames(1, 4, 1, 8).get(0);
        List<FusionText> texts = List.of(text(IDS, 1), text(new int[] {1, PromptTokens.IMAGE_MARKER, 4}, 2),
                text(new int[] {1, 5, 6, 8, 10, PromptTokens.IMAGE_MARKER, 11, 0, 13, 2}, 3));
        try (PreFusion fusion = load(2)) {
            List<float[][]> together = fusion.fuseTexts(frame, texts);
            assertThat(together).hasSize(3);
            for (int i = 0; i < texts.size(); i++) {
                float[][] alone = fusion.fuse(List.of(frame), texts.get(i)).get(0).text();
                assertThat(together.get(i)).hasNumberOfRows(texts.get(i).length());
                for (int j = 0; j < alone.length; j++) {
                    for (int e = 0; e < D; e++) {
                        assertThat(together.get(i)[j][e]).as("prompt %d column %d", i, j)
                                .isCloseTo(alone[j][e], within(1e-5f));
                    }
                }
            }
        }
    }

    @Test
    void rejectsBadInputs() {
        float[][] e = new float[2][D];
        assertThatThrownBy(() -> new FusionText(new int[] {1, 2}, e))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exactly one image placeholder");
        assertThatThrownBy(() -> new FusionText(new int[] {PromptTokens.IMAGE_MARKER, PromptTokens.IMAGE_MARKER}, e))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("found 2");
        assertThatThrownBy(() -> new FusionText(new int[] {PromptTokens.IMAGE_MARKER}, e))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("embeddings");
        assertThatThrownBy(() -> new FrameTokens(new float[][] {new float[D]}, new float[][] {new float[D + 1]}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("widths");
        assertThatThrownBy(() -> FrameTokens.of(new float[D], new float[D - 1], D))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PreFusion.load(TinyLlavaMiniParts.LLM, LAYERS + 1, PREFIX, WEIGHTS, DecoderOptions.defaults()))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining(PREFIX + LAYERS + ".");
        try (PreFusion fusion = load(2)) {
            List<FrameTokens> mixed = new ArrayList<>(frames(1, 4, 1, 1));
            mixed.addAll(frames(1, 5, 1, 1));
            assertThatThrownBy(() -> fusion.compressedTokens(mixed))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("share");
            assertThatThrownBy(() -> fusion.fuse(List.of(), text(IDS, 1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no frames");
            FrameTokens narrow = new FrameTokens(new float[][] {new float[D - 1]}, new float[][] {new float[D - 1]});
            assertThatThrownBy(() -> fusion.compressedTokens(List.of(narrow)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("width");
            FusionText wide = new FusionText(new int[] {PromptTokens.IMAGE_MARKER}, new float[][] {new float[D + 1]});
            assertThatThrownBy(() -> fusion.fuse(frames(1, 4, 1, 1), wide))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("width");
        }
    }

    static void assertClose(float[] actual, double[] expected, String what) {
        assertThat(actual).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat((double) actual[i]).as("%s dim %d", what, i).isCloseTo(expected[i], within(1e-4));
        }
    }
}

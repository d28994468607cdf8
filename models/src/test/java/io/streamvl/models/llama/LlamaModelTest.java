package io.streamvl.models.llama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamvl.models.ModelFormatException;
import io.streamvl.models.weights.DType;
import io.streamvl.models.weights.TensorInfo;
import io.streamvl.models.weights.TensorSource;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LlamaModelTest {
    private static final double TOL = 1e-4;
    private static final int[] PROMPT = {3, 17, 5, 9, 22, 1, 30};

    @Test
    void tensorFlowRuns() {
        assertThat(org.tensorflow.TensorFlow.version()).startsWith("2.");
    }

    @Test
    void logitsMatchReferenceAtEveryPosition() {
        for (LlamaConfig c : TestConfigs.all()) {
            ReferenceLlama ref = new ReferenceLlama(c, new RandomLlamaWeights(c, 7));
            try (LlamaModel m = TestConfigs.load(c, 1)) {
                float[][][] all = m.prefillAllLogits(new int[][] {PROMPT}, new int[][] {PrefillBatch.range(0, PROMPT.length)},
                        new int[][] {PrefillBatch.ones(PROMPT.length)});
                double[][] expected = ref.logits(PROMPT, 0);
                for (int t = 0; t < PROMPT.length; t++) {
                    assertClose(all[0][t], expected[t], c + " position " + t);
                }
                assertClose(m.lastLogits(PROMPT), expected[PROMPT.length - 1], "lastLogits");
            }
        }
    }

    @Test
    void cachedDecodeEqualsRecomputation() {
        for (LlamaConfig c : TestConfigs.all()) {
            ReferenceLlama ref = new ReferenceLlama(c, new RandomLlamaWeights(c, 7));
            try (LlamaModel m = TestConfigs.load(c, 1)) {
                int[] seq = java.util.Arrays.copyOf(PROMPT, PROMPT.length + 6);
                int len = PROMPT.length;
                float[] logits = m.prefill(new int[][] {PROMPT}, new int[][] {PrefillBatch.range(0, len)},
                        new int[][] {PrefillBatch.ones(len)})[0];
                for (int step = 0; step < 6; step++) {
                    int[] prefix = java.util.Arrays.copyOf(seq, len);
                    double[][] expected = ref.logits(prefix, 0);
                    assertClose(logits, expected[len - 1], c + " step " + step);
                    int next = Sampler.argmax(logits);
                    assertThat(next).isEqualTo(argmax(expected[len - 1]));
                    seq[len] = next;
                    logits = m.decode(new int[] {next}, new int[] {len}, new int[] {len})[0];
                    len++;
                }
            }
        }
    }

    @Test
    void embeddingsInputEqualsIdsInput() {
        LlamaConfig c = TestConfigs.GQA_LLAMA3;
        try (LlamaModel m = TestConfigs.load(c, 1)) {
            float[][][] x = m.embed(new int[][] {PROMPT});
            float[] table = new RandomLlamaWeights(c, 7).floats("model.embed_tokens.weight");
            assertThat(x[0][2][5]).isEqualTo(table[PROMPT[2] * c.hiddenSize() + 5]);
            int[][] pos = {PrefillBatch.range(0, PROMPT.length)};
            int[][] mask = {PrefillBatch.ones(PROMPT.length)};
            float[] fromIds = m.prefill(new int[][] {PROMPT}, pos, mask)[0];
            float[] fromEmbeddings = m.prefillEmbeddings(x, pos, mask)[0];
            assertThat(fromEmbeddings).containsExactly(fromIds, org.assertj.core.data.Offset.offset(1e-6f));
        }
    }

    @Test
    void positionIdsAreRespected() {
        LlamaConfig c = TestConfigs.GQA_LLAMA3;
        ReferenceLlama ref = new ReferenceLlama(c, new RandomLlamaWeights(c, 7));
        try (LlamaModel m = TestConfigs.load(c, 1)) {
            float[] shifted = m.prefill(new int[][] {PROMPT}, new int[][] {PrefillBatch.range(11, PROMPT.length)},
                    new int[][] {PrefillBatch.ones(PROMPT.length)})[0];
            assertClose(shifted, ref.logits(PROMPT, 11)[PROMPT.length - 1], "offset 11");
            // Rotary attention only sees relative positions, so a gap (not a shift) must change the result.
            int[] gapped = {0, 1, 2, 9, 10, 11, 12};
            float[] withGap = m.prefill(new int[][] {PROMPT}, new int[][] {gapped}, new int[][] {PrefillBatch.ones(PROMPT.length)})[0];
            double[] expected = ref.logits(ref.embed(PROMPT), gapped)[PROMPT.length - 1];
            assertClose(withGap, expected, "gapped positions");
            assertThat(Math.abs(expected[0] - ref.logits(PROMPT, 0)[PROMPT.length - 1][0])).isGreaterThan(1e-3);
        }
    }

    @Test
    void paddedBatchGivesEachSequenceItsOwnLogits() {
        LlamaConfig c = TestConfigs.GQA_TIED;
        ReferenceLlama ref = new ReferenceLlama(c, new RandomLlamaWeights(c, 7));
        int[] shortPrompt = {4, 8, 15};
        try (LlamaModel m = TestConfigs.load(c, 3)) {
            // Row 0 full, row 1 left-padded, row 2 right-padded.
            int[][] ids = {PROMPT, {0, 0, 0, 0, 4, 8, 15}, {4, 8, 15, 0, 0, 0, 0}};
            int[][] pos = {PrefillBatch.range(0, 7), {0, 0, 0, 0, 0, 1, 2}, PrefillBatch.range(0, 7)};
            int[][] mask = {PrefillBatch.ones(7), {0, 0, 0, 0, 1, 1, 1}, {1, 1, 1, 0, 0, 0, 0}};
            float[][] logits = m.prefill(ids, pos, mask);
            assertClose(logits[0], ref.logits(PROMPT, 0)[6], "full row");
            assertClose(logits[1], ref.logits(shortPrompt, 0)[2], "left-padded row");
            assertClose(logits[2], ref.logits(shortPrompt, 0)[2], "right-padded row");

            int[] next = {Sampler.argmax(logits[0]), Sampler.argmax(logits[1]), Sampler.argmax(logits[2])};
            float[][] step = m.decode(next, new int[] {7, 3, 3}, new int[] {7, 7, 3});
            assertClose(step[0], ref.logits(append(PROMPT, next[0]), 0)[7], "full row decode");
            assertClose(step[1], ref.logits(append(shortPrompt, next[1]), 0)[3], "left-padded decode");
            assertClose(step[2], ref.logits(append(shortPrompt, next[2]), 0)[3], "right-padded decode");
        }
    }

    @Test
    void promptLongerThanContextIsRejectedBeforeRunning() {
        LlamaConfig c = TestConfigs.MHA_TIED;
        try (LlamaModel m = LlamaModel.load(c, new RandomLlamaWeights(c, 7), DecoderOptions.defaults().withMaxCacheLength(16))) {
            assertThat(m.contextLength()).isEqualTo(16);
            assertThatThrownBy(() -> m.lastLogits(new int[17]))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("17").hasMessageContaining("16");
        }
    }

    @Test
    void misshapenWeightIsNamed() {
        LlamaConfig c = TestConfigs.GQA_TIED;
        TensorSource good = new RandomLlamaWeights(c, 7);
        String bad = "model.layers.1.self_attn.k_proj.weight";
        TensorSource broken = new TensorSource() {
            @Override
            public Set<String> names() {
                return good.names();
            }

            @Override
            public TensorInfo info(String name) {
                return name.equals(bad) ? new TensorInfo(bad, DType.BF16, new long[] {24, 24}) : good.info(name);
            }

            @Override
            public float[] floats(String name) {
                return good.floats(name);
            }
        };
        assertThatThrownBy(() -> LlamaModel.load(c, broken, DecoderOptions.defaults()))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining(bad).hasMessageContaining("[24, 24]").hasMessageContaining("[8, 24]");
    }

    static int[] append(int[] a, int x) {
        int[] r = java.util.Arrays.copyOf(a, a.length + 1);
        r[a.length] = x;
        return r;
    }

    static int argmax(double[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    static void assertClose(float[] actual, double[] expected, String what) {
        assertThat(actual).as(what).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            if (Math.abs(actual[i] - expected[i]) > TOL) {
                throw new AssertionError(what + ": logit " + i + " is " + actual[i] + ", reference " + expected[i]);
            }
        }
    }

    static void assertClose(float[] actual, float[] expected, String what) {
        double[] e = new double[expected.length];
        for (int i = 0; i < e.length; i++) {
            e[i] = expected[i];
        }
        assertClose(actual, e, what);
    }
}

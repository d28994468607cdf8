package io.streamvl.models.llama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamvl.models.ModelFormatException;
import io.streamvl.models.weights.InMemoryTensors;
import io.streamvl.models.weights.PrefixedTensors;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LlamaDecoderStackTest {
    private static final int[] PROMPT = {3, 17, 5, 9, 22, 1, 30};

    @Test
    void hiddenStatesMatchReferenceWithoutFinalNorm() {
        for (LlamaConfig c : TestConfigs.all()) {
            RandomLlamaWeights weights = new RandomLlamaWeights(c, 7);
            ReferenceLlama ref = new ReferenceLlama(c, weights);
            float[][] x = ref.embed(PROMPT);
            int[] positions = PrefillBatch.range(4, PROMPT.length);
            for (int layers = 1; layers <= c.numLayers(); layers++) {
                double[][] expected = ref.hidden(x, positions, layers);
                try (LlamaDecoderStack stack = LlamaDecoderStack.load(c, layers, WeightLayout.LAYERS, weights, options())) {
                    float[][][] out = stack.forward(new float[][][] {x}, new int[][] {positions},
                            new int[][] {PrefillBatch.ones(PROMPT.length)});
                    for (int t = 0; t < PROMPT.length; t++) {
                        for (int i = 0; i < c.hiddenSize(); i++) {
                            assertThat((double) out[0][t][i]).as("%s layers %d token %d dim %d", c, layers, t, i)
                                    .isCloseTo(expected[t][i], org.assertj.core.data.Offset.offset(1e-4));
                        }
                    }
                }
            }
        }
    }

    @Test
    void maskedColumnIsInvisibleToLaterQueries() {
        LlamaConfig c = TestConfigs.GQA_LLAMA3;
        RandomLlamaWeights weights = new RandomLlamaWeights(c, 7);
        ReferenceLlama ref = new ReferenceLlama(c, weights);
        float[][] x = ref.embed(PROMPT);
        float[][] without = ref.embed(new int[] {3, 17, 9, 22, 1, 30});
        int[] positions = {0, 1, 1, 2, 3, 4, 5};
        int[] mask = {1, 1, 0, 1, 1, 1, 1};
        try (LlamaDecoderStack stack = LlamaDecoderStack.load(c, 2, WeightLayout.LAYERS, weights, options())) {
            float[][] out = stack.forward(new float[][][] {x}, new int[][] {positions}, new int[][] {mask})[0];
            double[][] expected = ref.hidden(without, PrefillBatch.range(0, 6), 2);
            for (int t = 3; t < PROMPT.length; t++) {
                for (int i = 0; i < c.hiddenSize(); i++) {
                    assertThat((double) out[t][i]).isCloseTo(expected[t - 1][i], org.assertj.core.data.Offset.offset(1e-4));
                }
            }
        }
    }

    @Test
    void readsLayersUnderAnotherPrefix() {
        LlamaConfig c = TestConfigs.MHA_TIED;
        InMemoryTensors renamed = new InMemoryTensors();
        RandomLlamaWeights weights = new RandomLlamaWeights(c, 7);
        for (String name : weights.names()) {
            if (name.startsWith(WeightLayout.LAYERS)) {
                renamed.put("fusion." + name.substring(WeightLayout.LAYERS.length()), weights.floats(name), weights.info(name).shape());
            }
        }
        float[][][] x = {new ReferenceLlama(c, weights).embed(PROMPT)};
        int[][] pos = {PrefillBatch.range(0, PROMPT.length)};
        int[][] mask = {PrefillBatch.ones(PROMPT.length)};
        try (LlamaDecoderStack a = LlamaDecoderStack.load(c, 2, "fusion.", renamed, options());
                LlamaDecoderStack b = LlamaDecoderStack.load(c, 2, "layers.",
                        new PrefixedTensors(weights, Map.of("layers.", WeightLayout.LAYERS)), options())) {
            assertThat(a.forward(x, pos, mask)[0][6]).containsExactly(b.forward(x, pos, mask)[0][6]);
        }
        assertThatThrownBy(() -> LlamaDecoderStack.load(c, 3, "fusion.", renamed, options()))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("fusion.2.input_layernorm.weight");
    }

    @Test
    void rejectsRaggedInput() {
        LlamaConfig c = TestConfigs.MHA_TIED;
        try (LlamaDecoderStack stack = LlamaDecoderStack.load(c, 1, WeightLayout.LAYERS, new RandomLlamaWeights(c, 7), options())) {
            float[][][] x = {new float[3][c.hiddenSize()]};
            assertThatThrownBy(() -> stack.forward(x, new int[][] {{0, 1}}, new int[][] {{1, 1, 1}}))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positions");
            assertThatThrownBy(() -> stack.forward(new float[][][] {new float[2][c.hiddenSize() + 1]},
                    new int[][] {{0, 1}}, new int[][] {{1, 1}}))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hidden size");
        }
    }

    private static DecoderOptions options() {
        return DecoderOptions.defaults().withThreads(2, 1);
    }
}

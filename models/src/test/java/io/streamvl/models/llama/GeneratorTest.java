package io.streamvl.models.llama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class GeneratorTest {
    private static final LlamaConfig C = TestConfigs.GQA_LLAMA3;
    private static LlamaModel model;
    private static Generator generator;

    @BeforeAll
    static void load() {
        model = TestConfigs.load(C, 4);
        generator = new Generator(model);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static final List<Prompt> PROMPTS = List.of(Prompt.ofIds(3, 17, 5, 9, 22), Prompt.ofIds(8),
            Prompt.ofIds(40, 41, 42, 1, 2, 3, 4, 5, 6), Prompt.ofIds(11, 12));

    @Test
    void greedyMatchesReferenceRecomputation() {
        ReferenceLlama ref = new ReferenceLlama(C, new RandomLlamaWeights(C, 7));
        int[] seq = {3, 17, 5, 9, 22};
        GenerationResult r = generator.generate(Prompt.ofIds(seq), GenerationConfig.greedy(6));
        for (int token : r.tokenIds()) {
            double[][] logits = ref.logits(seq, 0);
            assertThat(token).isEqualTo(LlamaModelTest.argmax(logits[seq.length - 1]));
            seq = LlamaModelTest.append(seq, token);
        }
        assertThat(r.finishReason()).isEqualTo(FinishReason.MAX_TOKENS);
        assertThat(r.tokenIds()).hasSize(6);
    }

    @Test
    void batchedGenerationEqualsOneByOne() {
        List<int[]> streamed = new ArrayList<>();
        for (int i = 0; i < PROMPTS.size(); i++) {
            streamed.add(new int[0]);
        }
        GenerationConfig config = GenerationConfig.greedy(8);
        List<GenerationResult> batched = generator.generate(PROMPTS, config,
                (seqIndex, token) -> streamed.set(seqIndex, LlamaModelTest.append(streamed.get(seqIndex), token)));
        for (int i = 0; i < PROMPTS.size(); i++) {
            GenerationResult alone = generator.generate(PROMPTS.get(i), config);
            assertThat(batched.get(i).tokenIds()).as("sequence " + i).containsExactly(alone.tokenIds());
            assertThat(streamed.get(i)).containsExactly(alone.tokenIds());
        }
    }

    @Test
    void moreSequencesThanMaxBatchRunInChunks() {
        List<Prompt> six = new ArrayList<>(PROMPTS);
        six.add(Prompt.ofIds(5, 6, 7));
        six.add(Prompt.ofIds(9, 9));
        List<GenerationResult> results = generator.generate(six, GenerationConfig.greedy(3), TokenListener.NONE);
        assertThat(results).hasSize(6);
        assertThat(results.get(5).tokenIds()).containsExactly(generator.generate(six.get(5), GenerationConfig.greedy(3)).tokenIds());
    }

    @Test
    void embeddingPromptsEqualIdPrompts() {
        Prompt ids = PROMPTS.get(2);
        Prompt embedded = Prompt.ofEmbeddings(model.embed(new int[][] {ids.ids()})[0]);
        List<GenerationResult> mixed = generator.generate(List.of(embedded, PROMPTS.get(0)), GenerationConfig.greedy(5), TokenListener.NONE);
        assertThat(mixed.get(0).tokenIds()).containsExactly(generator.generate(ids, GenerationConfig.greedy(5)).tokenIds());
        assertThat(mixed.get(1).tokenIds()).containsExactly(generator.generate(PROMPTS.get(0), GenerationConfig.greedy(5)).tokenIds());
    }

    @Test
    void seededSamplingIsReproducibleAndTopKOneIsGreedy() {
        GenerationConfig sampling = GenerationConfig.greedy(10).withSampling(1.5, 0, 0.95, 42);
        int[] a = generator.generate(PROMPTS.get(0), sampling).tokenIds();
        int[] b = generator.generate(PROMPTS.get(0), sampling).tokenIds();
        int[] otherSeed = generator.generate(PROMPTS.get(0), sampling.withSampling(1.5, 0, 0.95, 43)).tokenIds();
        assertThat(a).containsExactly(b);
        assertThat(a).isNotEqualTo(otherSeed);
        int[] greedy = generator.generate(PROMPTS.get(0), GenerationConfig.greedy(10)).tokenIds();
        assertThat(generator.generate(PROMPTS.get(0), GenerationConfig.greedy(10).withSampling(2.0, 1, 1, 5)).tokenIds())
                .containsExactly(greedy);
        assertThat(a).isNotEqualTo(greedy);
    }

    @Test
    void finishReasons() {
        int[] greedy = generator.generate(PROMPTS.get(0), GenerationConfig.greedy(6)).tokenIds();

        GenerationResult stopped = generator.generate(PROMPTS.get(0), GenerationConfig.greedy(6).withStopTokens(Set.of(greedy[3])));
        assertThat(stopped.finishReason()).isEqualTo(FinishReason.STOP_TOKEN);
        int firstStop = indexOf(greedy, greedy[3]);
        assertThat(stopped.tokenIds()).containsExactly(java.util.Arrays.copyOf(greedy, firstStop));

        GenerationResult condition = generator.generate(PROMPTS.get(0),
                GenerationConfig.greedy(6).withStopCondition(ids -> ids.length == 2));
        assertThat(condition.finishReason()).isEqualTo(FinishReason.STOP_CONDITION);
        assertThat(condition.tokenIds()).containsExactly(greedy[0], greedy[1]);

        GenerationResult none = generator.generate(PROMPTS.get(0), GenerationConfig.greedy(0));
        assertThat(none.tokenIds()).isEmpty();
        assertThat(none.finishReason()).isEqualTo(FinishReason.MAX_TOKENS);

        int context = model.contextLength();
        GenerationResult full = generator.generate(Prompt.ofIds(new int[context - 3]), GenerationConfig.greedy(100));
        assertThat(full.finishReason()).isEqualTo(FinishReason.CONTEXT_FULL);
        assertThat(full.promptTokens() + full.tokenIds().length).isEqualTo(context);
    }

    @Test
    void promptLongerThanContextIsRejected() {
        int context = model.contextLength();
        assertThatThrownBy(() -> generator.generate(Prompt.ofIds(new int[context + 1]), GenerationConfig.greedy(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(String.valueOf(context + 1)).hasMessageContaining(String.valueOf(context));
    }

    private static int indexOf(int[] a, int x) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == x) {
                return i;
            }
        }
        return -1;
    }
}

package io.streamvl.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamvl.models.bundle.ModelBundle;
import io.streamvl.models.llama.DecoderOptions;
import io.streamvl.models.llama.FinishReason;
import io.streamvl.models.llama.GenerationConfig;
import io.streamvl.models.llama.GenerationResult;
import io.streamvl.models.llama.Generator;
import io.streamvl.models.llama.LlamaConfig;
import io.streamvl.models.llama.Prompt;
import io.streamvl.models.tiny.TinyLlama;
import io.streamvl.models.text.WordLevelTokenizerWriter;
import io.streamvl.models.weights.DType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Text in, text out through a bundle on disk: tokenizer, template, decoder, generator and streaming together. */
class LanguageModelTest {
    private static final LlamaConfig CONFIG = TinyLlama.configs().get("gqa-llama3");
    private static final List<String> QUESTIONS = List.of("w1 w2 w3", "w10 w20 w30 w40 w50", "w7");

    @TempDir
    Path dir;

    private Path bundle(String template) throws Exception {
        List<String> words = IntStream.range(0, TinyLlama.VOCAB - WordLevelTokenizerWriter.SPECIAL_TOKENS.size())
                .mapToObj(i -> "w" + i).toList();
        Path tok = WordLevelTokenizerWriter.write(dir.resolve("tok"), words);
        Path b = TinyLlama.write(dir.resolve("bundle"), CONFIG, 11, DType.BF16, tok);
        Files.copy(tok.resolveSibling("tokenizer_config.json"), b.resolve("tokenizer_config.json"));
        ObjectMapper json = new ObjectMapper();
        ObjectNode manifest = (ObjectNode) json.readTree(b.resolve(ModelBundle.MANIFEST).toFile());
        manifest.put("promptTemplate", template);
        json.writeValue(b.resolve(ModelBundle.MANIFEST).toFile(), manifest);
        return b;
    }

    @Test
    void answersEqualTheGeneratorOnTheTemplatedIdsAndStreamTheSameText() throws Exception {
        try (LanguageModel lm = LanguageModel.open(bundle("plain-text"), DecoderOptions.defaults().withMaxCacheLength(64))) {
            List<StringBuilder> streamed = List.of(new StringBuilder(), new StringBuilder(), new StringBuilder());
            List<LanguageModel.Answer> answers = lm.answer(QUESTIONS, GenerationConfig.greedy(8),
                    (seq, text) -> streamed.get(seq).append(text));
            // the pipeline generates without a listener: the same ids and text
            List<LanguageModel.Answer> unstreamed = lm.answer(QUESTIONS, GenerationConfig.greedy(8), null);
            Generator direct = new Generator(lm.decoder());
            for (int i = 0; i < QUESTIONS.size(); i++) {
                int[] ids = lm.tokenizer().encode(QUESTIONS.get(i), true);
                GenerationResult expected = direct.generate(Prompt.ofIds(ids),
                        GenerationConfig.greedy(8).withStopTokens(java.util.Set.copyOf(CONFIG.eosTokenIds())));
                LanguageModel.Answer a = answers.get(i);
                assertThat(a.tokenIds()).containsExactly(expected.tokenIds());
                assertThat(a.promptTokens()).isEqualTo(ids.length);
                assertThat(a.text()).isEqualTo(lm.tokenizer().decode(a.tokenIds(), true));
                assertThat(streamed.get(i).toString()).isEqualTo(a.text());
                assertThat(unstreamed.get(i).text()).isEqualTo(a.text());
                assertThat(unstreamed.get(i).tokenIds()).containsExactly(a.tokenIds());
            }
        }
    }

    @Test
    void aStopStringFromTheManifestEndsTheAnswerBeforeIt() throws Exception {
        Path b = bundle("plain-text");
        List<String> firstWords = new ArrayList<>();
        try (LanguageModel lm = LanguageModel.open(b, DecoderOptions.defaults().withMaxCacheLength(64))) {
            LanguageModel.Answer free = lm.answer(List.of(QUESTIONS.get(1)), GenerationConfig.greedy(8), null).get(0);
            assertThat(free.tokenIds().length).isGreaterThanOrEqualTo(3);
            firstWords.addAll(List.of(free.text().split(" ")));
        }
        ObjectMapper json = new ObjectMapper();
        ObjectNode manifest = (ObjectNode) json.readTree(b.resolve(ModelBundle.MANIFEST).toFile());
        manifest.putArray("stopStrings").add(firstWords.get(2));
        json.writeValue(b.resolve(ModelBundle.MANIFEST).toFile(), manifest);
        try (LanguageModel lm = LanguageModel.open(b, DecoderOptions.defaults().withMaxCacheLength(64))) {
            LanguageModel.Answer stopped = lm.answer(List.of(QUESTIONS.get(1)), GenerationConfig.greedy(8), null).get(0);
            assertThat(stopped.finishReason()).isEqualTo(FinishReason.STOP_CONDITION);
            // like HF stop strings: the text up to the stop string, the separating space included
            assertThat(stopped.text()).isEqualTo(firstWords.get(0) + " " + firstWords.get(1) + " ");
            StringBuilder streamed = new StringBuilder();
            LanguageModel.Answer streamedAnswer = lm.answer(List.of(QUESTIONS.get(1)), GenerationConfig.greedy(8),
                    (seq, text) -> streamed.append(text)).get(0);
            assertThat(streamedAnswer.text()).isEqualTo(stopped.text()).isEqualTo(streamed.toString());
            assertThat(streamedAnswer.tokenIds()).containsExactly(stopped.tokenIds());
        }
    }

    @Test
    void aTemplateThatNeedsAnImageRefusesTextOnlyQuestions() throws Exception {
        try (LanguageModel lm = LanguageModel.open(bundle("plain"), DecoderOptions.defaults().withMaxCacheLength(64))) {
            assertThatThrownBy(() -> lm.answer(List.of("w1"), GenerationConfig.greedy(2), null))
                    .isInstanceOf(ModelFormatException.class).hasMessageContaining("expects visual input");
        }
    }
}

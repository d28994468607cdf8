package io.streamvl.models.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WordLevelTokenizerWriterTest {

    @TempDir
    Path dir;

    @Test
    void wordsSplitsLikeTheTokenizer() {
        assertThat(WordLevelTokenizerWriter.words("  Is the RED circle\tleft-of (A)?\n"))
                .containsExactly("is", "the", "red", "circle", "left", "-", "of", "(", "a", ")", "?");
    }

    @Test
    void everyWordOfTheVocabularyEncodesToItsOwnId() {
        List<String> words = WordLevelTokenizerWriter.words("is the red circle left-of the square? yes, it is.");
        try (Tokenizer tok = Tokenizer.load(WordLevelTokenizerWriter.write(dir, words))) {
            List<String> vocabulary = List.of("is", "the", "red", "circle", "left", "-", "of", "square", "?", "yes",
                    ",", "it", ".");
            assertThat(tok.vocabSize()).isEqualTo(9 + vocabulary.size());
            for (int i = 0; i < vocabulary.size(); i++) {
                assertThat(tok.encode(vocabulary.get(i), false)).containsExactly(9 + i);
            }
            assertThat(tok.decode(tok.encode("Yes, it is.", true), true)).isEqualTo("yes , it is .");
        }
    }

    @Test
    void configNamesTheChosenBosAndEos() throws Exception {
        Path json = WordLevelTokenizerWriter.write(dir, List.of("red"), "<|begin_of_text|>", "<|eot_id|>");
        JsonNode config = new ObjectMapper().readTree(dir.resolve("tokenizer_config.json").toFile());
        assertThat(config.path("bos_token").asText()).isEqualTo("<|begin_of_text|>");
        assertThat(config.path("eos_token").asText()).isEqualTo("<|eot_id|>");
        try (Tokenizer tok = Tokenizer.load(json)) {
            assertThat(tok.encode("red", true)).containsExactly(5, 9);
            assertThat(tok.bosId()).hasValue(5);
            assertThat(tok.eosId()).hasValue(8);
        }
    }

    @Test
    void rejectsWordsTheTokenizerCouldNeverProduce() {
        for (String bad : List.of("Red", "red circle", "left-of", "<s>", "", "?!")) {
            assertThatThrownBy(() -> WordLevelTokenizerWriter.write(dir, List.of(bad)))
                    .as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> WordLevelTokenizerWriter.write(dir, List.of("red"), "<bos>", "</s>"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

package io.streamvl.models.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamvl.models.ModelFormatException;
import io.streamvl.models.testing.TokenizerFixtures;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizerTest {

    static final List<String> WORDS = List.of("what", "color", "is", "the", "circle", "?", "user");

    @TempDir
    Path dir;

    @Test
    void wordLevelEncodesToKnownIdsAndBack() {
        try (Tokenizer tok = Tokenizer.load(TokenizerFixtures.wordLevel(dir, WORDS))) {
            int[] ids = tok.encode("What color is the circle?", true);
            assertThat(ids).containsExactly(1, 9, 10, 11, 12, 13, 14);
            assertThat(tok.encode("What color is the circle?", false)).containsExactly(9, 10, 11, 12, 13, 14);
            assertThat(tok.decode(ids, true)).isEqualTo("what color is the circle ?");
            assertThat(tok.decode(ids, false)).isEqualTo("<s> what color is the circle ?");
            assertThat(tok.encode("what colour", false)).containsExactly(9, 3);
        }
    }

    @Test
    void wordLevelSpecialTokensMapToTheirIds() {
        try (Tokenizer tok = Tokenizer.load(TokenizerFixtures.wordLevel(dir, WORDS))) {
            List<String> specials = WordLevelTokenizerWriter.SPECIAL_TOKENS;
            for (int id = 0; id < specials.size(); id++) {
                assertThat(tok.tokenId(specials.get(id))).isEqualTo(id);
            }
            assertThat(tok.tokenId("<|eot_id|>")).isEqualTo(8);
            assertThat(tok.encode("<|start_header_id|>user<|end_header_id|>\n\nwhat<|eot_id|>", false))
                    .containsExactly(6, 15, 7, 9, 8);
            assertThat(tok.bosId()).hasValue(1);
            assertThat(tok.eosId()).hasValue(2);
            assertThat(tok.vocabSize()).isEqualTo(9 + WORDS.size());
            assertThat(tok.chatTemplate()).isEmpty();
            assertThat(tok.findTokenId("circle")).hasValue(13);
            assertThat(tok.findTokenId("square")).isEmpty();
            assertThatThrownBy(() -> tok.tokenId("square")).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void longInputIsNeitherTruncatedNorPadded() {
        try (Tokenizer tok = Tokenizer.load(TokenizerFixtures.wordLevel(dir, WORDS))) {
            String text = String.join(" ", java.util.Collections.nCopies(3000, "circle"));
            int[] ids = tok.encode(text, true);
            assertThat(ids).hasSize(3001);
            assertThat(tok.encode("circle", false)).containsExactly(13);
        }
    }

    @Test
    void byteLevelBpeEncodesToKnownIdsAndBack() {
        try (Tokenizer tok = Tokenizer.load(TokenizerFixtures.byteLevelBpe(dir))) {
            assertThat(tok.encode("the thé", true)).containsExactly(261, 116, 257, 256, 104, 259);
            assertThat(tok.encode("é😀€", false)).containsExactly(259, 260, 0x98, 0x80, 0xE2, 0x82, 0xAC);
            assertThat(tok.decode(new int[] {261, 116, 257, 256, 104, 259}, true)).isEqualTo("the thé");
            assertThat(tok.decode(new int[] {261, 116, 257, 262}, false)).isEqualTo("<|begin_of_text|>the<|eot_id|>");
            assertThat(tok.decode(new int[] {259, 260, 0x98, 0x80, 0xE2, 0x82, 0xAC}, true)).isEqualTo("é😀€");
            assertThat(tok.encode("<|eot_id|>", false)).containsExactly(262);
            assertThat(tok.tokenId("Ġthe")).isEqualTo(258);
            assertThat(tok.bosId()).hasValue(261);
            assertThat(tok.eosId()).hasValue(262);
            assertThat(tok.vocabSize()).isEqualTo(264);
            assertThat(tok.chatTemplate()).hasValueSatisfying(t -> assertThat(t).contains("Cutting Knowledge Date"));
        }
    }

    @Test
    void withoutConfigBosComesFromThePostProcessorAndThereIsNoEos() {
        Path json = TokenizerFixtures.byteLevelBpe(dir);
        try (Tokenizer tok = Tokenizer.load(json, null)) {
            assertThat(tok.bosId()).hasValue(261);
            assertThat(tok.eosId()).isEmpty();
            assertThat(tok.chatTemplate()).isEmpty();
        }
    }

    @Test
    void encodesConcurrently() throws Exception {
        try (Tokenizer tok = Tokenizer.load(TokenizerFixtures.byteLevelBpe(dir))) {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<Boolean>> results = IntStream.range(0, 200)
                        .mapToObj(i -> pool.submit(() -> tok.decode(tok.encode("the thé " + i, true), true)
                                .equals("the thé " + i)))
                        .toList();
                for (Future<Boolean> result : results) {
                    assertThat(result.get()).isTrue();
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void missingFileIsAModelFormatError() {
        assertThatThrownBy(() -> Tokenizer.load(dir.resolve("tokenizer.json")))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("tokenizer.json");
    }

    @Test
    void loadingTheClassSwitchesDjlOffline() throws Exception {
        String offline = System.clearProperty("ai.djl.offline");
        String tracking = System.clearProperty("OPT_OUT_TRACKING");
        URL[] classpath = java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .map(p -> {
                    try {
                        return Path.of(p).toUri().toURL();
                    } catch (java.net.MalformedURLException e) {
                        throw new IllegalStateException(e);
                    }
                })
                .toArray(URL[]::new);
        try (URLClassLoader fresh = new URLClassLoader(classpath, ClassLoader.getPlatformClassLoader())) {
            Class.forName(Tokenizer.class.getName(), true, fresh);
            assertThat(System.getProperty("ai.djl.offline")).isEqualTo("true");
            assertThat(System.getProperty("OPT_OUT_TRACKING")).isEqualTo("true");
        } finally {
            restore("ai.djl.offline", offline);
            restore("OPT_OUT_TRACKING", tracking);
        }
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }
}

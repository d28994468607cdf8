package io.streamvl.models.text;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamvl.models.testing.TokenizerFixtures;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromptTokensTest {

    private static final int M = PromptTokens.IMAGE_MARKER;

    @TempDir
    Path dir;

    private Tokenizer tok;

    @BeforeEach
    void load() {
        tok = Tokenizer.load(TokenizerFixtures.wordLevel(dir, TokenizerTest.WORDS));
    }

    @AfterEach
    void close() {
        tok.close();
    }

    @Test
    void eachPlaceholderBecomesOneMarkerAndOnlyTheFirstChunkGetsBos() {
        PromptTokens tokens = PromptTokens.tokenizeWithImage(tok, "what <image> is the <image>\ncircle?");
        assertThat(tokens.ids()).containsExactly(1, 9, M, 11, 12, M, 13, 14);
        assertThat(tokens.imagePositions()).containsExactly(2, 5);
        assertThat(tokens.length()).isEqualTo(8);
        assertThat(M).isEqualTo(-200);
    }

    @Test
    void placeholderAtTheStartKeepsBosInFrontAndAtTheEndAddsNothingAfter() {
        assertThat(PromptTokens.tokenizeWithImage(tok, "<image>\nwhat color").ids()).containsExactly(1, M, 9, 10);
        assertThat(PromptTokens.tokenizeWithImage(tok, "what color<image>").ids()).containsExactly(1, 9, 10, M);
        assertThat(PromptTokens.tokenizeWithImage(tok, "<image>", "<image>", false).ids()).containsExactly(M);
    }

    @Test
    void withoutPlaceholderThereAreNoMarkers() {
        PromptTokens tokens = PromptTokens.tokenizeWithImage(tok, "what color");
        assertThat(tokens.ids()).containsExactly(1, 9, 10);
        assertThat(tokens.imagePositions()).isEmpty();
    }

    @Test
    void placeholderIsConfigurableAndTakenLiterally() {
        PromptTokens tokens = PromptTokens.tokenizeWithImage(tok, "what [img]* color", "[img]*", true);
        assertThat(tokens.ids()).containsExactly(1, 9, M, 10);
        assertThat(tokens.imagePositions()).containsExactly(2);
    }

    @Test
    void valueSemantics() {
        PromptTokens a = PromptTokens.tokenizeWithImage(tok, "what <image>");
        PromptTokens b = new PromptTokens(new int[] {1, 9, M}, new int[] {2});
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        a.ids()[0] = 42;
        assertThat(a.ids()[0]).isEqualTo(1);
    }
}

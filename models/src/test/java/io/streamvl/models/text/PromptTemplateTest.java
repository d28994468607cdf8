package io.streamvl.models.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamvl.models.testing.TokenizerFixtures;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromptTemplateTest {

    private static final String Q = "What color is the circle?";
    private static final int M = PromptTokens.IMAGE_MARKER;

    /** you=9 are=10 helpful=11 .=12 system=13 user=14 assistant=15 what=16 color=17 is=18 the=19 circle=20 ?=21 */
    private static final List<String> WORDS = List.of("you", "are", "helpful", ".", "system", "user", "assistant",
            "what", "color", "is", "the", "circle", "?");

    @TempDir
    Path dir;

    @Test
    void llamaDefaultEndsWithTheAssistantHeader() {
        assertThat(Llama31Template.DEFAULT.render(Q)).isEqualTo("<|begin_of_text|><|start_header_id|>system"
                + "<|end_header_id|>\n\nYou are a helpful language and vision assistant. You are able to understand the"
                + " visual content that the user provides, and assist the user with a variety of tasks using natural"
                + " language.<|eot_id|><|start_header_id|>user<|end_header_id|>\n\n<image>\nWhat color is the circle?"
                + "<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n");
        assertThat(Llama31Template.DEFAULT.name()).isEqualTo("llama-3.1");
        assertThat(Llama31Template.DEFAULT.tokenizerAddsBos()).isFalse();
        assertThat(Llama31Template.DEFAULT.stopStrings()).containsExactly("<|eot_id|>", "<|eom_id|>", "<|end_of_text|>");
    }

    @Test
    void llamaRepoExactEndsAfterTheUserTurn() {
        assertThat(Llama31Template.LLAVA_MINI_REPO_EXACT.render(Q)).isEqualTo("<|begin_of_text|><|start_header_id|>"
                + "system<|end_header_id|>\n\nYou are a helpful language and vision assistant. You are able to understand"
                + " the visual content that the user provides, and assist the user with a variety of tasks using natural"
                + " language.<|eot_id|><|start_header_id|>user<|end_header_id|>\n\n<image>\nWhat color is the circle?"
                + "<|eot_id|>");
        assertThat(Llama31Template.LLAVA_MINI_REPO_EXACT.name()).isEqualTo("llama-3.1-repo-exact");
        assertThat(Llama31Template.LLAVA_MINI_REPO_EXACT.tokenizerAddsBos()).isTrue();
    }

    @Test
    void llamaKnowledgeDatePreambleOpensTheSystemTurnAndQuestionIsTrimmed() {
        Llama31Template dated = new Llama31Template("Be brief.", true, true, false);
        assertThat(dated.render("  Why?  \n")).isEqualTo("<|begin_of_text|><|start_header_id|>system<|end_header_id|>"
                + "\n\nCutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\nBe brief.<|eot_id|>"
                + "<|start_header_id|>user<|end_header_id|>\n\n<image>\n  Why?<|eot_id|>"
                + "<|start_header_id|>assistant<|end_header_id|>\n\n");
    }

    @Test
    void llamaAdaptsThePreambleToTheBundlesChatTemplate() {
        try (Tokenizer withDate = Tokenizer.load(TokenizerFixtures.byteLevelBpe(dir.resolve("bpe")));
                Tokenizer without = Tokenizer.load(TokenizerFixtures.wordLevel(dir.resolve("words"), WORDS))) {
            assertThat(Llama31Template.DEFAULT.adaptedTo(withDate).knowledgeDate()).isTrue();
            assertThat(Llama31Template.DEFAULT.adaptedTo(without)).isEqualTo(Llama31Template.DEFAULT);
            assertThat(Llama31Template.LLAVA_MINI_REPO_EXACT.adaptedTo(withDate))
                    .isEqualTo(new Llama31Template(Llama31Template.LLAVA_MINI_SYSTEM, false, true, true));
        }
    }

    @Test
    void llamaTokenizesWithOneBosByDefaultAndTwoInRepoExactMode() {
        Path json = WordLevelTokenizerWriter.write(dir, WORDS, "<|begin_of_text|>", "<|eot_id|>");
        try (Tokenizer tok = Tokenizer.load(json)) {
            Llama31Template trained = new Llama31Template("You are helpful.", true, false, false);
            PromptTokens tokens = trained.tokenize(tok, Q);
            assertThat(tokens.ids()).containsExactly(5, 6, 13, 7, 9, 10, 11, 12, 8, 6, 14, 7, M, 16, 17, 18, 19, 20,
                    21, 8, 6, 15, 7);
            assertThat(tokens.imagePositions()).containsExactly(12);

            Llama31Template repo = new Llama31Template("You are helpful.", false, false, true);
            PromptTokens repoTokens = repo.tokenize(tok, Q);
            assertThat(repoTokens.ids()).containsExactly(5, 5, 6, 13, 7, 9, 10, 11, 12, 8, 6, 14, 7, M, 16, 17, 18,
                    19, 20, 21, 8);
            assertThat(repoTokens.imagePositions()).containsExactly(13);
        }
    }

    @Test
    void vicunaV1() {
        String prompt = VicunaV1Template.INSTANCE.render(Q);
        assertThat(prompt).isEqualTo("A chat between a curious human and an artificial intelligence assistant. The"
                + " assistant gives helpful, detailed, and polite answers to the human's questions. USER: <image>\n"
                + "What color is the circle? ASSISTANT:");
        assertThat(VicunaV1Template.INSTANCE.stopStrings()).containsExactly("</s>");
        try (Tokenizer tok = Tokenizer.load(TokenizerFixtures.wordLevel(dir,
                WordLevelTokenizerWriter.words(prompt.replace("<image>", ""))))) {
            PromptTokens tokens = VicunaV1Template.INSTANCE.tokenize(tok, Q);
            int beforeImage = tok.encode(prompt.substring(0, prompt.indexOf("<image>")), true).length;
            assertThat(tokens.ids()[0]).isEqualTo(1);
            assertThat(tokens.imagePositions()).containsExactly(beforeImage);
            assertThat(tokens.ids()).doesNotContain(3);
            assertThat(tok.decode(new int[] {tokens.ids()[tokens.length() - 1]}, true)).isEqualTo(":");
        }
    }

    @Test
    void tsLlavaOpenEnded() {
        assertThat(TsLlavaOpenEndedTemplate.INSTANCE.render("What happens?")).isEqualTo("USER: <image>\nThe input"
                + " consists of a sequence of key frames from a video. Answer concisely with overall content and context"
                + " of the video, highlighting any significant events, characters, or objects that appear throughout the"
                + " video. Question: What happens? \nASSISTANT:\nAnswer: In the video,");
        assertThat(TsLlavaOpenEndedTemplate.INSTANCE.tokenizerAddsBos()).isTrue();
    }

    @Test
    void plainTemplates() {
        assertThat(PlainTemplate.WITH_IMAGE.render(Q)).isEqualTo("<image>\nWhat color is the circle?");
        assertThat(PlainTemplate.TEXT_ONLY.render(Q)).isEqualTo("What color is the circle?");
        try (Tokenizer tok = Tokenizer.load(TokenizerFixtures.wordLevel(dir, WORDS))) {
            assertThat(PlainTemplate.WITH_IMAGE.tokenize(tok, Q).ids()).containsExactly(1, M, 16, 17, 18, 19, 20, 21);
            assertThat(PlainTemplate.TEXT_ONLY.tokenize(tok, Q).ids()).containsExactly(1, 16, 17, 18, 19, 20, 21);
        }
    }

    @Test
    void templatesAreFoundByTheirNames() {
        for (PromptTemplate template : List.of(Llama31Template.DEFAULT, Llama31Template.LLAVA_MINI_REPO_EXACT,
                VicunaV1Template.INSTANCE, TsLlavaOpenEndedTemplate.INSTANCE, PlainTemplate.WITH_IMAGE,
                PlainTemplate.TEXT_ONLY)) {
            assertThat(PromptTemplate.forName(template.name())).isEqualTo(template);
        }
        assertThatThrownBy(() -> PromptTemplate.forName("chatml"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("vicuna-v1");
    }
}

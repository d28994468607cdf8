package io.streamvl.models.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class TsLlavaMultipleChoiceTest {

    @Test
    void rendersTheV4Prompt() {
        assertThat(TsLlavaMultipleChoice.render("What does the man do?", List.of("runs", "sits", "jumps")))
                .isEqualTo("You are a helpful expert in video analysis. Select the best option to answer the"
                        + " question. USER: <image>\nThe input consists of a sequence of key frames from a video.\n"
                        + "Question: What does the man do?\nOptions:\n(A) runs\n(B) sits\n(C) jumps\n"
                        + "Only give the best option. \nASSISTANT:\nAnswer: Best option:(");
    }

    @Test
    void acceptsOneToSixOptions() {
        assertThatThrownBy(() -> TsLlavaMultipleChoice.render("q", List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TsLlavaMultipleChoice.render("q", Collections.nCopies(7, "x")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(TsLlavaMultipleChoice.render("q", Collections.nCopies(6, "x"))).contains("(F) x\n");
    }

    @Test
    void parsesTheContinuationOfBestOption() {
        assertThat(TsLlavaMultipleChoice.parseAnswer("B) sits")).hasValue(1);
        assertThat(TsLlavaMultipleChoice.parseAnswer("c")).hasValue(2);
        assertThat(TsLlavaMultipleChoice.parseAnswer("  D) x")).hasValue(3);
    }

    @Test
    void aLetterWithColonOrParenthesisOverridesTheFirstCharacterScanningAToF() {
        assertThat(TsLlavaMultipleChoice.parseAnswer("a cat, then B)")).hasValue(1);
        assertThat(TsLlavaMultipleChoice.parseAnswer("E) or A: maybe")).hasValue(0);
    }

    @Test
    void onlyTextFromAnswerIsOnCounts() {
        assertThat(TsLlavaMultipleChoice.parseAnswer("Options A) and so the answer is C) jumps")).hasValue(2);
        assertThat(TsLlavaMultipleChoice.parseAnswer("The answer is D")).isEmpty();
    }

    @Test
    void firstCharacterRuleTakesAnyLetterAToFEvenStartingAWord() {
        assertThat(TsLlavaMultipleChoice.parseAnswer("each one")).hasValue(4);
    }

    @Test
    void noOptionWhenNothingMatches() {
        assertThat(TsLlavaMultipleChoice.parseAnswer("")).isEmpty();
        assertThat(TsLlavaMultipleChoice.parseAnswer("xyz")).isEmpty();
        assertThat(TsLlavaMultipleChoice.parseAnswer("(G) none")).isEmpty();
    }
}

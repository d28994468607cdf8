package io.streamvl.shapes;

import static io.streamvl.shapes.QuestionType.COLOR;
import static io.streamvl.shapes.QuestionType.COUNT;
import static io.streamvl.shapes.QuestionType.DIRECTION;
import static io.streamvl.shapes.QuestionType.PRESENCE;
import static io.streamvl.shapes.QuestionType.SHAPE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AnswerScorerTest {
    private static final String STILL = "it does not move";

    @Test
    void colours() {
        assertThat(AnswerScorer.isCorrect(COLOR, "red", "red")).isTrue();
        assertThat(AnswerScorer.isCorrect(COLOR, "red", "Red")).isTrue();
        assertThat(AnswerScorer.isCorrect(COLOR, "red", "The answer is red.")).isTrue();
        assertThat(AnswerScorer.isCorrect(COLOR, "red", "RED!")).isTrue();
        assertThat(AnswerScorer.isCorrect(COLOR, "red", "red or blue")).isFalse();
        assertThat(AnswerScorer.isCorrect(COLOR, "red", "blue")).isFalse();
        assertThat(AnswerScorer.isCorrect(COLOR, "red", "reddish")).isFalse();
        assertThat(AnswerScorer.isCorrect(COLOR, "red", "")).isFalse();
        assertThat(AnswerScorer.isCorrect(COLOR, "yellow", "It is yellow, like the sun")).isTrue();
    }

    @Test
    void shapes() {
        assertThat(AnswerScorer.isCorrect(SHAPE, "circle", "a circle")).isTrue();
        assertThat(AnswerScorer.isCorrect(SHAPE, "circle", "a circle inside a square")).isFalse();
        assertThat(AnswerScorer.isCorrect(SHAPE, "square", "squares")).isFalse();
        assertThat(AnswerScorer.isCorrect(SHAPE, "triangle", "Triangle.")).isTrue();
    }

    @Test
    void counts() {
        assertThat(AnswerScorer.isCorrect(COUNT, "two", "There are two objects.")).isTrue();
        assertThat(AnswerScorer.isCorrect(COUNT, "two", "two, or maybe three")).isFalse();
        assertThat(AnswerScorer.isCorrect(COUNT, "one", "someone")).isFalse();
        assertThat(AnswerScorer.isCorrect(COUNT, "three", "3")).isFalse();
    }

    @Test
    void directions() {
        assertThat(AnswerScorer.isCorrect(DIRECTION, "left", "It moves to the left.")).isTrue();
        assertThat(AnswerScorer.isCorrect(DIRECTION, "up", "UP")).isTrue();
        assertThat(AnswerScorer.isCorrect(DIRECTION, "up", "up and down")).isFalse();
        assertThat(AnswerScorer.isCorrect(DIRECTION, "left", "it moves left, not right")).isFalse();
        assertThat(AnswerScorer.isCorrect(DIRECTION, "down", "it does not move")).isFalse();
    }

    @Test
    void stayingStillIsRecognisedByNotMove() {
        assertThat(AnswerScorer.isCorrect(DIRECTION, STILL, "it does not move")).isTrue();
        assertThat(AnswerScorer.isCorrect(DIRECTION, STILL, "No, it does not move.")).isTrue();
        assertThat(AnswerScorer.isCorrect(DIRECTION, STILL, "The blue square does not move")).isTrue();
        assertThat(AnswerScorer.isCorrect(DIRECTION, STILL, "It doesn't move")).isTrue();
        assertThat(AnswerScorer.isCorrect(DIRECTION, STILL, "It doesn\u2019t move")).isTrue();
        assertThat(AnswerScorer.isCorrect(DIRECTION, STILL, "it does not move left")).isFalse();
        assertThat(AnswerScorer.isCorrect(DIRECTION, "left", "it does not move left")).isFalse();
        assertThat(AnswerScorer.isCorrect(DIRECTION, STILL, "it moves")).isFalse();
        assertThat(AnswerScorer.isCorrect(DIRECTION, STILL, "left")).isFalse();
    }

    @Test
    void presence() {
        assertThat(AnswerScorer.isCorrect(PRESENCE, "yes", "Yes.")).isTrue();
        assertThat(AnswerScorer.isCorrect(PRESENCE, "no", "No, there is not.")).isTrue();
        assertThat(AnswerScorer.isCorrect(PRESENCE, "no", "There is no red square")).isTrue();
        assertThat(AnswerScorer.isCorrect(PRESENCE, "yes", "yes and no")).isFalse();
        assertThat(AnswerScorer.isCorrect(PRESENCE, "no", "nothing")).isFalse();
        assertThat(AnswerScorer.isCorrect(PRESENCE, "no", "not really")).isFalse();
    }

    @Test
    void scoresQuestionsByTheirType() {
        Question q = new Question("Which way does the red circle move?", STILL, DIRECTION);
        assertThat(AnswerScorer.isCorrect(q, "It does not move.")).isTrue();
        assertThat(new VideoQuestion("v.mp4", "What color is the circle?", "red", COLOR).isCorrect("red or green"))
                .isFalse();
    }

    @Test
    void everyCanonicalAnswerScoresItselfCorrectAndTheOthersWrong() {
        for (QuestionType type : QuestionType.values()) {
            for (String expected : type.candidates()) {
                for (String given : type.candidates()) {
                    assertThat(AnswerScorer.isCorrect(type, expected, given)).as("%s vs %s", expected, given)
                            .isEqualTo(expected.equals(given));
                }
            }
        }
    }

    @Test
    void rejectsAnExpectedAnswerOutsideTheType() {
        assertThatThrownBy(() -> AnswerScorer.isCorrect(COLOR, "square", "square"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

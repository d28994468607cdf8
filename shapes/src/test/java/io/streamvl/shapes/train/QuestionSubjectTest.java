package io.streamvl.shapes.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.streamvl.shapes.Background;
import io.streamvl.shapes.Direction;
import io.streamvl.shapes.Question;
import io.streamvl.shapes.QuestionGenerator;
import io.streamvl.shapes.Scene;
import io.streamvl.shapes.SceneObject;
import io.streamvl.shapes.ShapeColor;
import io.streamvl.shapes.ShapeKind;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class QuestionSubjectTest {
    static final SceneObject RED_CIRCLE =
            new SceneObject(ShapeKind.CIRCLE, ShapeColor.RED, 40, 0, 100, Direction.RIGHT, 4);
    static final SceneObject RED_SQUARE =
            new SceneObject(ShapeKind.SQUARE, ShapeColor.RED, 40, 140, 0, Direction.STILL, 0);
    static final SceneObject BLUE_SQUARE =
            new SceneObject(ShapeKind.SQUARE, ShapeColor.BLUE, 30, 200, 200, Direction.UP, 2);
    private static final Scene SCENE = new Scene(Background.GRAY, 6, 10, List.of(RED_CIRCLE, RED_SQUARE, BLUE_SQUARE));

    @Test
    void everyQuestionThatNamesAnObjectFindsItAndNoOtherQuestionDoes() {
        assertThat(QuestionSubject.of(SCENE, "What color is the circle?")).contains(RED_CIRCLE);
        assertThat(QuestionSubject.of(SCENE, "What shape is the blue object?")).contains(BLUE_SQUARE);
        assertThat(QuestionSubject.of(SCENE, "Which way does the red square move?")).contains(RED_SQUARE);
        assertThat(QuestionSubject.of(SCENE, "Is there a blue square?")).contains(BLUE_SQUARE);
        assertThat(QuestionSubject.of(SCENE, "Is there a green square?")).as("absent").isEmpty();
        assertThat(QuestionSubject.of(SCENE, "How many objects are there?")).isEmpty();
        assertThat(QuestionSubject.of(SCENE, ShapesTraining.CAPTION_PROMPT)).isEmpty();
        assertThat(QuestionSubject.of(SCENE, "What shape is the red object?")).as("two red objects").isEmpty();

        for (Question q : QuestionGenerator.generate(SCENE, new SplittableRandom(3))) {
            boolean names = switch (q.type()) {
                case COUNT -> false;
                case PRESENCE -> q.answer().equals("yes");
                default -> true;
            };
            assertThat(QuestionSubject.of(SCENE, q.question()).isPresent()).as(q.question()).isEqualTo(names);
        }
    }

    @Test
    void placesAreTheCentresInEachSampledFrameFromMinusOneToOne() {
        // the circle's box is x 0..39 then 40..79 ten frames later (4 px a frame), y 100..139 of 240
        float[] places = QuestionSubject.places(RED_CIRCLE, new int[] {0, 10});
        assertThat(places).hasSize(4);
        assertThat(places[0]).isCloseTo(2 * 20f / 320 - 1, within(1e-6f));
        assertThat(places[1]).isCloseTo(2 * 120f / 240 - 1, within(1e-6f));
        assertThat(places[2]).isCloseTo(2 * 60f / 320 - 1, within(1e-6f));
        assertThat(places[3]).isEqualTo(places[1]);

        assertThat(QuestionSubject.targets(Optional.of(RED_CIRCLE), new int[] {0, 10})).singleElement()
                .satisfies(t -> {
                    assertThat(t.answerToken()).as("read where the answer starts").isZero();
                    assertThat(t.places()).containsExactly(places);
                });
        assertThat(QuestionSubject.targets(Optional.empty(), new int[] {0, 10})).isEmpty();
    }
}

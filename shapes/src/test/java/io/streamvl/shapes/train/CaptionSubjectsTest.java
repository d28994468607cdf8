package io.streamvl.shapes.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamvl.models.text.WordLevelTokenizerWriter;
import io.streamvl.models.train.TrainingSample;
import io.streamvl.shapes.Background;
import io.streamvl.shapes.CaptionWriter;
import io.streamvl.shapes.Direction;
import io.streamvl.shapes.Scene;
import io.streamvl.shapes.SceneObject;
import io.streamvl.shapes.ShapeColor;
import io.streamvl.shapes.ShapeKind;
import java.util.List;
import org.junit.jupiter.api.Test;

class CaptionSubjectsTest {
    private static final SceneObject BLUE_SQUARE =
            new SceneObject(ShapeKind.SQUARE, ShapeColor.BLUE, 30, 200, 200, Direction.UP, 2);
    private static final SceneObject RED_CIRCLE =
            new SceneObject(ShapeKind.CIRCLE, ShapeColor.RED, 40, 0, 100, Direction.RIGHT, 4);
    private static final SceneObject RED_SQUARE =
            new SceneObject(ShapeKind.SQUARE, ShapeColor.RED, 40, 140, 0, Direction.STILL, 0);
    private static final int[] FRAMES = {0, 10, 20, 30};

    @Test
    void eachClausesObjectIsReadAtItsVerbInCaptionOrder() {
        Scene scene = new Scene(Background.GRAY, 6, 10, List.of(BLUE_SQUARE, RED_CIRCLE, RED_SQUARE));
        String caption = CaptionWriter.caption(scene);
        List<String> words = WordLevelTokenizerWriter.words(caption);
        List<TrainingSample.Subject> subjects = CaptionSubjects.of(scene, FRAMES);

        assertThat(subjects).hasSize(3);
        List<SceneObject> order = CaptionWriter.clauseOrder(scene);
        for (int k = 0; k < 3; k++) {
            TrainingSample.Subject s = subjects.get(k);
            SceneObject o = order.get(k);
            assertThat(words.subList(s.answerToken() - 2, s.answerToken() + 1))
                    .as("the clause's object, then its verb")
                    .containsExactly(o.color().word(), o.shape().word(), o.direction().captionPhrase().split(" ")[0]);
            assertThat(s.places()).containsExactly(QuestionSubject.places(o, FRAMES));
        }
        assertThat(subjects.get(0).answerToken()).isEqualTo(3);
    }

    @Test
    void aLoneObjectsCaptionHasOneSubject() {
        Scene scene = new Scene(Background.BLACK, 4, 10, List.of(RED_SQUARE));
        assertThat(CaptionSubjects.of(scene, FRAMES)).singleElement()
                .satisfies(s -> assertThat(s.answerToken()).isEqualTo(3));
    }
}

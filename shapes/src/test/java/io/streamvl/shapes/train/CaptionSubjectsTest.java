package io.streamvl.shapes.train;

import static io.streamvl.shapes.train.QuestionSubjectTest.BLUE_SQUARE;
import static io.streamvl.shapes.train.QuestionSubjectTest.RED_CIRCLE;
import static io.streamvl.shapes.train.QuestionSubjectTest.RED_SQUARE;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamvl.models.text.WordLevelTokenizerWriter;
import io.streamvl.models.train.TrainingSample;
import io.streamvl.shapes.Background;
import io.streamvl.shapes.CaptionWriter;
import io.streamvl.shapes.Scene;
import io.streamvl.shapes.SceneObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class CaptionSubjectsTest {
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

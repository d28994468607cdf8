package io.streamvl.shapes.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamvl.models.text.WordLevelTokenizerWriter;
import io.streamvl.shapes.Question;
import io.streamvl.shapes.QuestionType;
import io.streamvl.shapes.ShapesVideo;
import io.streamvl.shapes.ShapesWorld;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ShapesVocabularyTest {

    @Test
    void coversEveryWordOfEveryQuestionAnswerAndCaptionTheWorldProduces() {
        List<String> vocabulary = ShapesVocabulary.words();
        assertThat(vocabulary).doesNotHaveDuplicates();
        Set<String> seen = new HashSet<>(WordLevelTokenizerWriter.words(ShapesTraining.CAPTION_PROMPT));
        for (QuestionType t : QuestionType.values()) {
            t.candidates().forEach(c -> seen.addAll(WordLevelTokenizerWriter.words(c)));
        }
        // Enough scenes that every colour-shape pair, direction, object count and question kind turns up.
        for (int i = 0; i < 3000; i++) {
            ShapesVideo video = ShapesWorld.video(i % 3, i);
            seen.addAll(WordLevelTokenizerWriter.words(video.caption()));
            for (Question q : video.questions()) {
                seen.addAll(WordLevelTokenizerWriter.words(q.question()));
                seen.addAll(WordLevelTokenizerWriter.words(q.answer()));
            }
        }
        assertThat(vocabulary).containsExactlyInAnyOrderElementsOf(seen);
    }
}

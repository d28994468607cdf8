package io.streamvl.models.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamvl.models.text.PromptTokens;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainingBatchTest {
    private static final int M = PromptTokens.IMAGE_MARKER;

    @Test
    void splicesFramesAtThePlaceholderAndScoresOnlyTheAnswer() {
        // Sample 0: [1, M, 20, 21] answer [30, 2]; sample 1: [1, M, 20] answer [31, 32, 2]. Two frames, one
        // Z' each; vision columns per frame: 3 (two patches and Z).
        TrainingBatch b = TrainingBatch.of(List.of(new int[] {1, M, 20, 21}, new int[] {1, M, 20}),
                List.of(new int[] {30, 2}, new int[] {31, 32, 2}), new int[] {1, 1}, 2, 3, 2);
        assertThat(b.textLength()).isEqualTo(4);
        assertThat(b.answerLength()).isEqualTo(3);
        // LLM length: sample 0 is 4 - 1 + 2 + 1 = 6, sample 1 is 3 - 1 + 2 + 2 = 6.
        assertThat(b.sequenceLength()).isEqualTo(6);
        assertThat(b.textIds()).containsExactly(1, 0, 20, 21, 1, 0, 20, 0);
        assertThat(b.textVisible()).containsExactly(1, 0, 1, 1, 1, 0, 1, 0);
        // Pre-fusion of sample 1's frames: vision 0..2, BOS 3, placeholder hidden (1), 20 at 4, padding hidden.
        assertThat(b.fusionPositions()).endsWith(0, 1, 2, 3, 1, 4, 1);
        assertThat(b.fusionMask()).endsWith(1, 1, 1, 1, 0, 1, 0);
        assertThat(b.fusionMask()).hasSize(2 * 2 * 7);
        // Sources per sample: 4 text rows, 2 Z' rows, 3 answer rows (9 rows per sample).
        assertThat(b.sourceRows()).containsExactly(0, 4, 5, 2, 3, 6, 9, 13, 14, 11, 15, 16);
        assertThat(b.firstTarget()).containsExactly(4, 3);
        assertThat(b.targets()).containsExactly(0, 0, 0, 0, 30, 2, 0, 0, 0, 31, 32, 2);
        assertThat(b.weights()).containsExactly(0, 0, 0, 0, 1, 1, 0, 0, 0, 1, 1, 1);
        assertThat(b.answerIds()).containsExactly(30, 2, 0, 31, 32, 2);
    }

    @Test
    void fillsShortSequencesAfterTheirLastColumn() {
        TrainingBatch b = TrainingBatch.of(List.of(new int[] {1, M}, new int[] {1, M, 20, 21, 22}),
                List.of(new int[] {30, 2}, new int[] {31, 2}), new int[] {1, 1}, 1, 2, 1);
        assertThat(b.sequenceLength()).isEqualTo(6);
        // Sample 0: BOS, Z', answer[0], then filler pointing at its first row; nothing scored there.
        assertThat(b.sourceRows()).startsWith(0, 5, 6, 0, 0, 0);
        assertThat(b.weights()).startsWith(0, 1, 1, 0, 0, 0);
    }
}

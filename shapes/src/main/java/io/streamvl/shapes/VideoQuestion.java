package io.streamvl.shapes;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Objects;

/**
 * One line of questions.jsonl. {@code type} is our addition to the spec's video/question/answer;
 * lines without it (from other generators) get the type their question's wording implies.
 */
@JsonPropertyOrder({"video", "question", "answer", "type"})
public record VideoQuestion(String video, String question, String answer, QuestionType type) {
    public VideoQuestion {
        Objects.requireNonNull(video, "video");
        Objects.requireNonNull(question, "question");
        Objects.requireNonNull(answer, "answer");
        if (type == null) {
            type = QuestionType.ofQuestion(question);
        }
    }

    public static VideoQuestion of(String video, Question q) {
        return new VideoQuestion(video, q.question(), q.answer(), q.type());
    }

    /** Whether {@code modelAnswer} answers this question correctly, by {@link AnswerScorer}'s rule. */
    public boolean isCorrect(String modelAnswer) {
        return AnswerScorer.isCorrect(type, answer, modelAnswer);
    }
}

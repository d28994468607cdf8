package io.streamvl.shapes;

import java.util.Objects;

/** A question about one video, with its expected answer (one of {@code type.candidates()}). */
public record Question(String question, String answer, QuestionType type) {
    public Question {
        Objects.requireNonNull(question, "question");
        Objects.requireNonNull(type, "type");
        if (!type.candidates().contains(answer)) {
            throw new IllegalArgumentException("'" + answer + "' is not a " + type.label() + " answer");
        }
    }
}

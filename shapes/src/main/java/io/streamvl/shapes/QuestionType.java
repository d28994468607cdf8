package io.streamvl.shapes;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The five kinds of question, each with its closed set of candidate answers; {@link #label()}
 * is the {@code type} written in questions.jsonl.
 */
public enum QuestionType {
    COLOR("What color is the ", Stream.of(ShapeColor.values()).map(ShapeColor::word).toList()),
    SHAPE("What shape is the ", Stream.of(ShapeKind.values()).map(ShapeKind::word).toList()),
    COUNT("How many objects are there?", List.of("one", "two", "three")),
    DIRECTION("Which way does the ", Stream.of(Direction.values()).map(Direction::answer).toList()),
    PRESENCE("Is there a ", List.of("yes", "no"));

    private final String questionPrefix;
    private final List<String> candidates;

    QuestionType(String questionPrefix, List<String> candidates) {
        this.questionPrefix = questionPrefix;
        this.candidates = candidates;
    }

    @JsonValue
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Every answer a question of this type can have, in a fixed order. */
    public List<String> candidates() {
        return candidates;
    }

    @JsonCreator
    public static QuestionType fromLabel(String label) {
        for (QuestionType t : values()) {
            if (t.label().equals(label)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown question type '" + label + "'");
    }

    /**
     * The type of a question worded as the spec words it; lets datasets written by other tools,
     * whose lines carry no {@code type}, be read and scored.
     */
    public static QuestionType ofQuestion(String question) {
        for (QuestionType t : values()) {
            if (question.startsWith(t.questionPrefix)) {
                return t;
            }
        }
        throw new IllegalArgumentException("not a shapes-world question: '" + question + "'");
    }
}

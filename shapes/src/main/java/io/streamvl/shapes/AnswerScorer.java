package io.streamvl.shapes;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Scores a free-text answer: correct when, ignoring case, it names the expected candidate and no
 * other candidate of the question's type, matching whole words only ("reddish" is not "red",
 * "squares" is not "square", "not" is not "no").
 *
 * <p>The stationary direction answer is recognised by the words "not move" (so "it does not
 * move", "the circle does not move" and "doesn't move" all count) rather than only by the full
 * "it does not move", because the subject is incidental. It is a candidate like the four
 * directions, so a negated direction such as "it does not move left" names two candidates and
 * is wrong whatever was expected; "no, it does not move" is right for a still object ("no" is
 * not a direction).
 */
public final class AnswerScorer {
    private static final List<String> STILL_WORDS = List.of("not", "move");

    private AnswerScorer() {}

    public static boolean isCorrect(Question question, String answer) {
        return isCorrect(question.type(), question.answer(), answer);
    }

    /**
     * @param expected one of {@code type.candidates()}
     * @throws IllegalArgumentException when {@code expected} is not a candidate of {@code type}
     */
    public static boolean isCorrect(QuestionType type, String expected, String answer) {
        if (!type.candidates().contains(expected)) {
            throw new IllegalArgumentException("'" + expected + "' is not a " + type.label() + " answer");
        }
        List<String> words = words(answer);
        for (String candidate : type.candidates()) {
            if (containsPhrase(words, phrase(candidate)) != candidate.equals(expected)) {
                return false;
            }
        }
        return true;
    }

    /** The words that must appear, consecutively, for an answer to name {@code candidate}. */
    private static List<String> phrase(String candidate) {
        return candidate.equals(Direction.STILL.answer()) ? STILL_WORDS : words(candidate);
    }

    /** Lower-case runs of letters and digits, with the contraction "n't" read as "not". */
    private static List<String> words(String text) {
        String normalised = text.toLowerCase(Locale.ROOT).replace("n\u2019t", " not").replace("n't", " not");
        List<String> out = new ArrayList<>(Arrays.asList(normalised.split("[^a-z0-9]+")));
        out.removeAll(Collections.singleton(""));
        return out;
    }

    private static boolean containsPhrase(List<String> words, List<String> phrase) {
        return Collections.indexOfSubList(words, phrase) >= 0;
    }
}

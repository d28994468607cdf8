package io.streamvl.models.text;

import java.util.List;
import java.util.OptionalInt;

/**
 * TS-LLaVA's multiple-choice video prompt ({@code multiple_choice_allvideo_v4}, 7B) and its answer
 * parsing ({@code map_prediction_to_option}). The prompt ends with "Best option:(", so the model
 * continues with e.g. "B) ...". Options are lettered A to F, the letters the parser knows.
 */
public final class TsLlavaMultipleChoice {

    public static final int MAX_OPTIONS = 6;
    private static final String LETTERS = "ABCDEF";

    private TsLlavaMultipleChoice() {}

    /** The whole prompt; the tokenizer adds BOS, as for {@link VicunaV1Template}. */
    public static String render(String question, List<String> options) {
        if (options.isEmpty() || options.size() > MAX_OPTIONS) {
            throw new IllegalArgumentException("need 1 to " + MAX_OPTIONS + " options, got " + options.size());
        }
        StringBuilder prompt = new StringBuilder("You are a helpful expert in video analysis. Select the best"
                + " option to answer the question. USER: " + PromptTokens.IMAGE_PLACEHOLDER
                + "\nThe input consists of a sequence of key frames from a video.\nQuestion: " + question
                + "\nOptions:\n");
        for (int i = 0; i < options.size(); i++) {
            prompt.append('(').append(LETTERS.charAt(i)).append(") ").append(options.get(i)).append('\n');
        }
        return prompt.append("Only give the best option. \nASSISTANT:\nAnswer: Best option:(").toString();
    }

    /**
     * The chosen option's index (0 for A), or empty when the prediction names none. Leading whitespace
     * is ignored; then, as in the reference: a first character in a–f/A–F is the option; from
     * {@code "answer is "} on, if present, the first of {@code "A:"/"A)"} … {@code "F:"/"F)"} found
     * (scanning A to F, not by position) overrides it.
     */
    public static OptionalInt parseAnswer(String prediction) {
        String text = prediction.stripLeading();
        OptionalInt option = OptionalInt.empty();
        int first = text.isEmpty() ? -1 : "abcdefABCDEF".indexOf(text.charAt(0));
        if (first >= 0) {
            option = OptionalInt.of(first % LETTERS.length());
        }
        int answerIs = text.indexOf("answer is ");
        String tail = answerIs >= 0 ? text.substring(answerIs) : text;
        for (int i = 0; i < LETTERS.length(); i++) {
            char letter = LETTERS.charAt(i);
            if (tail.contains(letter + ":") || tail.contains(letter + ")")) {
                return OptionalInt.of(i);
            }
        }
        return option;
    }
}

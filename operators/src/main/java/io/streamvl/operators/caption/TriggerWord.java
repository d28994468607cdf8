package io.streamvl.operators.caption;

import java.util.regex.Pattern;

/** Whether an answer contains a standing question's trigger word: case-insensitive, as a whole word. */
public final class TriggerWord {
    private TriggerWord() {}

    /** False for a null or blank trigger. */
    public static boolean matches(String trigger, String text) {
        if (trigger == null || trigger.isBlank() || text == null) {
            return false;
        }
        // letters and digits on either side would make it part of a longer word
        Pattern word = Pattern.compile("(?<![\\p{L}\\p{N}])" + Pattern.quote(trigger.strip()) + "(?![\\p{L}\\p{N}])",
                Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
        return word.matcher(text).find();
    }
}

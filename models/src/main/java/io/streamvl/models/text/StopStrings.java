package io.streamvl.models.text;

import java.util.List;

/**
 * Strings that end generation when they appear in the decoded output. Besides finding a complete stop
 * string, this says how much of the text's end could still grow into one, so a streamer holds that
 * part back instead of showing text it may have to take back.
 */
public final class StopStrings {

    private static final StopStrings NONE = new StopStrings(List.of());

    private final List<String> strings;

    private StopStrings(List<String> strings) {
        this.strings = strings;
    }

    public static StopStrings of(List<String> strings) {
        for (String s : strings) {
            if (s.isEmpty()) {
                throw new IllegalArgumentException("empty stop string");
            }
        }
        return strings.isEmpty() ? NONE : new StopStrings(List.copyOf(strings));
    }

    public static StopStrings of(String... strings) {
        return of(List.of(strings));
    }

    public static StopStrings none() {
        return NONE;
    }

    public List<String> strings() {
        return strings;
    }

    /** Where the earliest stop string starts in {@code text}, or -1. */
    public int find(String text) {
        int earliest = -1;
        for (String stop : strings) {
            int at = text.indexOf(stop);
            if (at >= 0 && (earliest < 0 || at < earliest)) {
                earliest = at;
            }
        }
        return earliest;
    }

    /** The length of the longest end of {@code text} that is the beginning of some stop string. */
    public int partialMatchLength(String text) {
        int longest = 0;
        for (String stop : strings) {
            for (int n = Math.min(stop.length() - 1, text.length()); n > longest; n--) {
                if (text.regionMatches(text.length() - n, stop, 0, n)) {
                    longest = n;
                    break;
                }
            }
        }
        return longest;
    }

    /**
     * Whether the text of {@code ids} contains a stop string, special tokens kept: the form a
     * {@code Generator}'s stop callback over the ids so far can call directly. It decodes everything
     * each time; {@link TokenStreamer} does the same job incrementally.
     */
    public boolean matches(Tokenizer tokenizer, int[] ids) {
        return !strings.isEmpty() && find(tokenizer.decode(ids, false)) >= 0;
    }
}

package io.streamvl.models.text;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns generated token ids, fed one at a time, into text as soon as that text is final.
 *
 * <p>Text is final when decoding the recent ids no longer ends in U+FFFD: byte-level BPE splits one
 * character over several tokens, and a partial UTF-8 sequence decodes to the replacement character.
 * Recent ids are decoded together with the ids before the last release because some decoders
 * (SentencePiece's leading space, word-level joins) render a token differently on its own.
 *
 * <p>Stop strings are matched on the decoded text, and text that may be the start of one is held back
 * until it is clearly not. A stop string that is one special token never shows up in text decoded
 * without special tokens, so the streamer watches for that token's id instead. The stop string itself is
 * never emitted.
 *
 * <p>As the llama {@code Generator}'s {@code StopCondition} (ids generated so far, one sequence):
 * {@code ids -> { sink.accept(streamer.push(ids[ids.length - 1])); return streamer.stopped(); }}; when
 * generation ends otherwise (a stop id, the length limit), {@link #finish()} releases the rest.
 *
 * <p>Not thread safe: one streamer per generation.
 */
public final class TokenStreamer {

    private final Tokenizer tokenizer;
    private final boolean skipSpecialTokens;
    private final StopStrings stopStrings;
    private final Set<Integer> stopIds;

    private int[] ids = new int[64];
    private int count;
    /** Decoding starts here, so the text of {@code [prefixOffset, readOffset)} was released already. */
    private int prefixOffset;
    private int readOffset;
    private final StringBuilder heldBack = new StringBuilder();
    private final StringBuilder released = new StringBuilder();
    private boolean stopped;
    private boolean finished;

    /**
     * @param skipSpecialTokens whether special tokens (BOS, EOS, headers) are left out of the text
     * @param stopStrings text that ends generation; single special tokens among them are matched by id
     */
    public TokenStreamer(Tokenizer tokenizer, boolean skipSpecialTokens, StopStrings stopStrings) {
        this.tokenizer = tokenizer;
        this.skipSpecialTokens = skipSpecialTokens;
        this.stopStrings = stopStrings;
        this.stopIds = invisibleStopTokens(tokenizer, skipSpecialTokens, stopStrings.strings());
    }

    private static Set<Integer> invisibleStopTokens(Tokenizer tokenizer, boolean skipSpecial, List<String> stops) {
        Set<Integer> result = new HashSet<>();
        for (String stop : stops) {
            tokenizer.findTokenId(stop).ifPresent(id -> {
                if (!tokenizer.decode(new int[] {id}, skipSpecial).contains(stop)) {
                    result.add(id);
                }
            });
        }
        return Set.copyOf(result);
    }

    /**
     * Feeds the next generated id.
     *
     * @return the text this id completed; empty while a character or a possible stop string is unfinished
     * @throws IllegalStateException after a stop or {@link #finish()}
     */
    public String push(int id) {
        if (stopped || finished) {
            throw new IllegalStateException("the stream has ended; no more ids");
        }
        if (stopIds.contains(id)) {
            stopped = true;
            return release(heldBack.length());
        }
        append(id);
        String before = decode(prefixOffset, readOffset);
        String now = decode(prefixOffset, count);
        if (now.length() <= before.length() || now.endsWith("\uFFFD")) {
            return "";
        }
        prefixOffset = readOffset;
        readOffset = count;
        heldBack.append(now, before.length(), now.length());
        int stopAt = stopStrings.find(heldBack.toString());
        if (stopAt >= 0) {
            stopped = true;
            return release(stopAt);
        }
        return release(heldBack.length() - stopStrings.partialMatchLength(heldBack.toString()));
    }

    /**
     * Ends the stream when generation stopped for another reason (EOS, length limit): releases text held
     * back for a possible stop string and any unfinished character, as U+FFFD.
     */
    public String finish() {
        if (stopped || finished) {
            finished = true;
            return "";
        }
        finished = true;
        String before = decode(prefixOffset, readOffset);
        String now = decode(prefixOffset, count);
        if (now.length() > before.length()) {
            heldBack.append(now, before.length(), now.length());
        }
        int stopAt = stopStrings.find(heldBack.toString());
        if (stopAt >= 0) {
            stopped = true;
            return release(stopAt);
        }
        return release(heldBack.length());
    }

    /** Whether a stop string or stop token ended the stream. */
    public boolean stopped() {
        return stopped;
    }

    /** All text released so far. */
    public String text() {
        return released.toString();
    }

    /** The ids fed so far, stop tokens excluded. */
    public int[] ids() {
        return Arrays.copyOf(ids, count);
    }

    private void append(int id) {
        if (count == ids.length) {
            ids = Arrays.copyOf(ids, count * 2);
        }
        ids[count++] = id;
    }

    private String decode(int from, int to) {
        return from == to ? "" : tokenizer.decode(Arrays.copyOfRange(ids, from, to), skipSpecialTokens);
    }

    /** Releases the first {@code length} held-back characters; after a stop, drops the rest. */
    private String release(int length) {
        String out = heldBack.substring(0, length);
        heldBack.delete(0, stopped ? heldBack.length() : length);
        released.append(out);
        return out;
    }
}

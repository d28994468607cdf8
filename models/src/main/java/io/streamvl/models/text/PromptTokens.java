package io.streamvl.models.text;

import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * A tokenized prompt in which each image placeholder is one {@link #IMAGE_MARKER} id, where the model
 * splices in the image (or video) embeddings.
 *
 * @param ids token ids, with {@link #IMAGE_MARKER} at each image position
 * @param imagePositions the indices of the markers in {@code ids}, ascending
 */
public record PromptTokens(int[] ids, int[] imagePositions) {

    /** LLaVA's {@code IMAGE_TOKEN_INDEX}: negative, so it can never collide with a vocabulary id. */
    public static final int IMAGE_MARKER = -200;

    public static final String IMAGE_PLACEHOLDER = "<image>";

    public PromptTokens {
        ids = ids.clone();
        imagePositions = imagePositions.clone();
    }

    @Override
    public int[] ids() {
        return ids.clone();
    }

    @Override
    public int[] imagePositions() {
        return imagePositions.clone();
    }

    public int length() {
        return ids.length;
    }

    /** Tokenizes with the tokenizer's special tokens (BOS) at the front, as LLaVA does. */
    public static PromptTokens tokenizeWithImage(Tokenizer tokenizer, String prompt) {
        return tokenizeWithImage(tokenizer, prompt, IMAGE_PLACEHOLDER, true);
    }

    /**
     * LLaVA's {@code tokenizer_image_token}: the prompt is split at each placeholder and every chunk is
     * tokenized on its own, so the text either side of an image tokenizes exactly as in the reference
     * (a SentencePiece tokenizer, for one, starts each chunk as a new word). Only the first chunk gets
     * the tokenizer's special tokens; the reference tokenizes every chunk with BOS and strips it from all
     * but the first, which is the same for a tokenizer that adds only a leading BOS.
     *
     * @param addSpecialTokens false when the prompt text already starts with the BOS it needs
     */
    public static PromptTokens tokenizeWithImage(Tokenizer tokenizer, String prompt, String placeholder,
            boolean addSpecialTokens) {
        String[] chunks = prompt.split(Pattern.quote(placeholder), -1);
        int[][] encoded = new int[chunks.length][];
        int total = chunks.length - 1;
        for (int i = 0; i < chunks.length; i++) {
            boolean special = i == 0 && addSpecialTokens;
            encoded[i] = chunks[i].isEmpty() && !special ? new int[0] : tokenizer.encode(chunks[i], special);
            total += encoded[i].length;
        }
        int[] ids = new int[total];
        int[] positions = new int[chunks.length - 1];
        int at = 0;
        for (int i = 0; i < chunks.length; i++) {
            if (i > 0) {
                positions[i - 1] = at;
                ids[at++] = IMAGE_MARKER;
            }
            System.arraycopy(encoded[i], 0, ids, at, encoded[i].length);
            at += encoded[i].length;
        }
        return new PromptTokens(ids, positions);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PromptTokens other && Arrays.equals(ids, other.ids)
                && Arrays.equals(imagePositions, other.imagePositions);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(ids) + Arrays.hashCode(imagePositions);
    }

    @Override
    public String toString() {
        return "PromptTokens" + Arrays.toString(ids);
    }
}

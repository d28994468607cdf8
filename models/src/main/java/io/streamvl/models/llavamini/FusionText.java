package io.streamvl.models.llavamini;

import io.streamvl.models.text.PromptTokens;

/**
 * A prompt as pre-fusion sees it: token ids with exactly one image placeholder
 * ({@link PromptTokens#IMAGE_MARKER}), and the LLM's embeddings of {@code max(id, 0)} for every column
 * (the placeholder's row is the embedding of id 0, as in LLaVA-Mini).
 *
 * <p>Pre-fusion hides every column with {@code id <= 0} (the placeholder, and any real token 0, a quirk of
 * the reference kept on purpose) and puts those hidden columns' original embeddings back into T'.
 */
public record FusionText(int[] ids, float[][] embeddings) {
    public FusionText {
        if (ids.length != embeddings.length) {
            throw new IllegalArgumentException(ids.length + " ids but " + embeddings.length + " embeddings");
        }
        int placeholders = 0;
        for (int id : ids) {
            if (id == PromptTokens.IMAGE_MARKER) {
                placeholders++;
            }
        }
        if (placeholders != 1) {
            throw new IllegalArgumentException("a LLaVA-Mini prompt needs exactly one image placeholder ("
                    + PromptTokens.IMAGE_MARKER + "), found " + placeholders);
        }
        for (float[] e : embeddings) {
            if (e.length != embeddings[0].length) {
                throw new IllegalArgumentException("text embeddings of mixed widths " + embeddings[0].length + " and " + e.length);
            }
        }
    }

    public int length() {
        return ids.length;
    }

    public int width() {
        return embeddings[0].length;
    }

    /** The column of the image placeholder, p in {@code T'[:p] ++ Z' ++ T'[p+1:]}. */
    public int placeholder() {
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] == PromptTokens.IMAGE_MARKER) {
                return i;
            }
        }
        throw new IllegalStateException("unreachable: checked at construction");
    }

    boolean visible(int column) {
        return ids[column] > 0;
    }

    /** {@code ids} with the placeholder (and any negative id) raised to 0: what the embeddings were looked up for. */
    public static int[] lookupIds(int[] ids) {
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = Math.max(ids[i], 0);
        }
        return out;
    }
}

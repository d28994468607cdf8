package io.streamvl.models.llavamini;

import java.util.List;

/** The LLM's input embeddings: the fused text with the placeholder column replaced by every frame's Z', in order. */
public final class LlavaMiniInput {
    private LlavaMiniInput() {}

    /**
     * {@code T'[:p] ++ Z'_1 ++ ... ++ Z'_N ++ T'[p+1:]}, length {@code L - 1 + N·C²}, rows shared (not
     * copied), for {@code Prompt.ofEmbeddings}.
     *
     * @param text T' of one frame or the mean over frames, {@code [L][D]}
     * @param placeholder p, the image placeholder's column ({@link FusionText#placeholder()})
     * @param frames Z' of each frame, {@code [C²][D]}, in temporal order
     */
    public static float[][] assemble(float[][] text, int placeholder, List<float[][]> frames) {
        if (placeholder < 0 || placeholder >= text.length) {
            throw new IllegalArgumentException("placeholder column " + placeholder + " outside a text of " + text.length);
        }
        if (frames.isEmpty()) {
            throw new IllegalArgumentException("no frames");
        }
        int width = text[0].length;
        int visual = 0;
        for (float[][] z : frames) {
            for (float[] row : z) {
                if (row.length != width) {
                    throw new IllegalArgumentException("vision token of width " + row.length + ", the text is " + width);
                }
            }
            visual += z.length;
        }
        float[][] out = new float[text.length - 1 + visual][];
        System.arraycopy(text, 0, out, 0, placeholder);
        int at = placeholder;
        for (float[][] z : frames) {
            System.arraycopy(z, 0, out, at, z.length);
            at += z.length;
        }
        System.arraycopy(text, placeholder + 1, out, at, text.length - placeholder - 1);
        return out;
    }
}

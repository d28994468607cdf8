package io.streamvl.models.llavamini;

/**
 * One frame's vision input to pre-fusion, already projected to the LLM width D: the full patch tokens
 * G ({@code [P][D]}, the projector applied to all CLIP patches) and the compressed tokens Z
 * ({@code [C²][D]}, the projector applied to the compressor's output). Prompt-independent.
 */
public record FrameTokens(float[][] image, float[][] compressed) {
    public FrameTokens {
        if (image.length == 0 || compressed.length == 0) {
            throw new IllegalArgumentException("a frame needs image and compressed tokens, got " + image.length
                    + " and " + compressed.length);
        }
        int d = image[0].length;
        for (float[][] rows : new float[][][] {image, compressed}) {
            for (float[] row : rows) {
                if (row.length != d) {
                    throw new IllegalArgumentException("frame tokens of mixed widths " + d + " and " + row.length);
                }
            }
        }
    }

    /** Splits row-major {@code [P * D]} and {@code [C² * D]} arrays (the projector's output). */
    public static FrameTokens of(float[] image, float[] compressed, int width) {
        return new FrameTokens(rows(image, width), rows(compressed, width));
    }

    static float[][] rows(float[] flat, int width) {
        if (width < 1 || flat.length % width != 0) {
            throw new IllegalArgumentException(flat.length + " floats are not rows of " + width);
        }
        float[][] out = new float[flat.length / width][width];
        for (int i = 0; i < out.length; i++) {
            System.arraycopy(flat, i * width, out[i], 0, width);
        }
        return out;
    }

    public int width() {
        return image[0].length;
    }

    /** P + C²: where the text starts in the pre-fusion sequence. */
    public int visionLength() {
        return image.length + compressed.length;
    }
}

package io.streamvl.models.train;

/**
 * LLaVA-NeXT's AnyRes input for one image on a 2×2 grid: the whole image at the tower's size, then the four tiles of
 * the image at twice that size, row by row. The image LLaVA models TS-LLaVA runs on are trained this way, so their LLM
 * has learnt to read several views of one picture, with an object in more than one of them, as one picture; a model
 * trained on single views only reads TS-LLaVA's many frames' tokens as more objects.
 *
 * <p>A training run keeps its frames at the tower's size only (the frames at the grid's size would not fit the heap),
 * so the grid's image is the frame upsampled bilinearly: the tiles show every object twice as large, with no more
 * detail than the whole view.
 */
final class AnyResViews {
    static final int GRID = 2;
    /** The whole view and the tiles. */
    static final int VIEWS = 1 + GRID * GRID;
    private static final int CHANNELS = 3;

    private AnyResViews() {}

    /**
     * @param image {@code [size, size, 3]}, row-major, normalised as the tower takes it (bilinear resizing commutes
     *     with the per-channel normalisation)
     * @return {@code [VIEWS, size, size, 3]}: the image itself, then the tiles
     */
    static float[] of(float[] image, int size) {
        int frame = size * size * CHANNELS;
        if (size < 1 || image.length != frame) {
            throw new IllegalArgumentException("an image of " + size + "x" + size + "x3 has " + frame
                    + " floats, got " + image.length);
        }
        float[] out = new float[VIEWS * frame];
        System.arraycopy(image, 0, out, 0, frame);
        int big = GRID * size;
        int[] low = new int[big];
        int[] high = new int[big];
        float[] frac = new float[big];
        for (int d = 0; d < big; d++) {
            // half-pixel centres, as torch's interpolate(align_corners=False) and PIL place them
            float s = Math.max(0f, (d + 0.5f) / GRID - 0.5f);
            low[d] = Math.min((int) s, size - 1);
            high[d] = Math.min(low[d] + 1, size - 1);
            frac[d] = s - (int) s;
        }
        for (int ty = 0; ty < GRID; ty++) {
            for (int tx = 0; tx < GRID; tx++) {
                int base = (1 + ty * GRID + tx) * frame;
                for (int y = 0; y < size; y++) {
                    int by = ty * size + y;
                    for (int x = 0; x < size; x++) {
                        int bx = tx * size + x;
                        for (int c = 0; c < CHANNELS; c++) {
                            float top = lerp(image[at(low[by], low[bx], c, size)],
                                    image[at(low[by], high[bx], c, size)], frac[bx]);
                            float bottom = lerp(image[at(high[by], low[bx], c, size)],
                                    image[at(high[by], high[bx], c, size)], frac[bx]);
                            out[base + at(y, x, c, size)] = lerp(top, bottom, frac[by]);
                        }
                    }
                }
            }
        }
        return out;
    }

    private static int at(int y, int x, int c, int size) {
        return (y * size + x) * CHANNELS + c;
    }

    private static float lerp(float a, float b, float t) {
        return a + (b - a) * t;
    }
}

package io.streamvl.models.llavamini;

/**
 * LLaVA-Mini-HD's views of a frame (reference {@code split_image}): a frame of side r·S is cut into an r×r
 * grid of S×S crops (row-major) and also scaled down to S×S as the global view, nearest-neighbour as the
 * reference resizes video frames. Works on normalised pixels: normalisation is per pixel, so it commutes
 * with cropping and nearest resizing.
 */
final class HdViews {
    private HdViews() {}

    /**
     * @param frames {@code n} normalised NHWC frames of side {@code r * size}
     * @return {@code n * (r² + 1)} views of side {@code size}: each frame's crops, then its global view
     */
    static float[] split(float[] frames, int n, int r, int size) {
        int big = r * size;
        int frameFloats = big * big * 3;
        if (frames.length != (long) n * frameFloats) {
            throw new IllegalArgumentException(frames.length + " floats are not " + n + " frames of " + big + "x"
                    + big + "x3 (resolution ratio " + r + " x tower size " + size + ")");
        }
        int viewFloats = size * size * 3;
        int views = r * r + 1;
        float[] out = new float[n * views * viewFloats];
        for (int f = 0; f < n; f++) {
            int src = f * frameFloats;
            for (int cy = 0; cy < r; cy++) {
                for (int cx = 0; cx < r; cx++) {
                    int dst = (f * views + cy * r + cx) * viewFloats;
                    for (int y = 0; y < size; y++) {
                        System.arraycopy(frames, src + ((cy * size + y) * big + cx * size) * 3, out,
                                dst + y * size * 3, size * 3);
                    }
                }
            }
            int dst = (f * views + r * r) * viewFloats;
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    // nearest with PyTorch's rule: source = floor(dst * scale), scale = r
                    System.arraycopy(frames, src + ((y * r) * big + x * r) * 3, out, dst + (y * size + x) * 3, 3);
                }
            }
        }
        return out;
    }

    /**
     * Stitches each frame's r² crop feature maps (side g, row-major crops) into one (g·r)×(g·r) map, as the
     * reference concatenates the crops' patch grids.
     *
     * @param crops {@code n * r²} feature maps of {@code g*g} rows of {@code width}
     */
    static float[] stitch(float[] crops, int n, int r, int g, int width) {
        int side = g * r;
        float[] out = new float[n * side * side * width];
        for (int f = 0; f < n; f++) {
            for (int row = 0; row < side; row++) {
                for (int col = 0; col < side; col++) {
                    int crop = f * r * r + (row / g) * r + col / g;
                    int local = (row % g) * g + col % g;
                    System.arraycopy(crops, (crop * g * g + local) * width, out,
                            ((f * side + row) * side + col) * width, width);
                }
            }
        }
        return out;
    }
}

package io.streamvl.models.llavamini;

/**
 * PyTorch's {@code F.interpolate(mode="bicubic", align_corners=False)} of a square grid of vectors, as
 * the compressor uses it to stretch its C x C key position table over the image's patch grid: source
 * coordinate {@code (dst + 0.5) * in / out - 0.5}, Keys cubic convolution with {@code A = -0.75},
 * taps clamped at the edges.
 */
final class Bicubic {
    private static final double A = -0.75;

    private Bicubic() {}

    /** {@code grid [side * side, dim]} row-major to {@code [target * target, dim]}. */
    static float[] resize(float[] grid, int side, int dim, int target) {
        if (grid.length != side * side * dim) {
            throw new IllegalArgumentException("grid of " + grid.length + " floats is not " + side + "x" + side + "x" + dim);
        }
        if (side == target) {
            return grid.clone();
        }
        int[][] taps = new int[target][4];
        double[][] weights = new double[target][];
        double scale = (double) side / target;
        for (int o = 0; o < target; o++) {
            double src = scale * (o + 0.5) - 0.5;
            int base = (int) Math.floor(src);
            weights[o] = coefficients(src - base);
            for (int k = 0; k < 4; k++) {
                taps[o][k] = Math.min(Math.max(base - 1 + k, 0), side - 1);
            }
        }
        float[] out = new float[target * target * dim];
        for (int y = 0; y < target; y++) {
            for (int x = 0; x < target; x++) {
                int o = (y * target + x) * dim;
                for (int ky = 0; ky < 4; ky++) {
                    for (int kx = 0; kx < 4; kx++) {
                        double w = weights[y][ky] * weights[x][kx];
                        int s = (taps[y][ky] * side + taps[x][kx]) * dim;
                        for (int d = 0; d < dim; d++) {
                            out[o + d] += (float) (w * grid[s + d]);
                        }
                    }
                }
            }
        }
        return out;
    }

    private static double[] coefficients(double t) {
        return new double[] {far(t + 1), near(t), near(1 - t), far(2 - t)};
    }

    private static double near(double x) {
        return ((A + 2) * x - (A + 3)) * x * x + 1;
    }

    private static double far(double x) {
        return ((A * x - 5 * A) * x + 8 * A) * x - 4 * A;
    }
}

package io.streamvl.models.llavamini;

/**
 * The fixed 2-D sin-cos position table of the LLaVA-Mini compressor (the MAE formula): for a
 * {@code side x side} grid flattened row-major, dims {@code [0, dim/2)} encode the column and
 * {@code [dim/2, dim)} the row, each half as {@code [sin(pos·ω), cos(pos·ω)]} with
 * {@code ω_d = 10000^(-d / (dim/4))}. The column comes first because MAE builds its grid with
 * {@code meshgrid(w, h)}.
 */
final class SinCos2d {
    private SinCos2d() {}

    /** {@code [side * side, dim]} row-major. */
    static float[] grid(int dim, int side) {
        if (dim % 4 != 0) {
            throw new IllegalArgumentException("2-D sin-cos needs a width divisible by 4, got " + dim);
        }
        int quarter = dim / 4;
        float[] out = new float[side * side * dim];
        for (int h = 0; h < side; h++) {
            for (int w = 0; w < side; w++) {
                int o = (h * side + w) * dim;
                axis(out, o, w, quarter);
                axis(out, o + 2 * quarter, h, quarter);
            }
        }
        return out;
    }

    private static void axis(float[] out, int offset, int pos, int quarter) {
        for (int d = 0; d < quarter; d++) {
            double angle = pos / Math.pow(10000, (double) d / quarter);
            out[offset + d] = (float) Math.sin(angle);
            out[offset + quarter + d] = (float) Math.cos(angle);
        }
    }
}

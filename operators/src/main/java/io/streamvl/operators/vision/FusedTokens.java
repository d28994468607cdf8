package io.streamvl.operators.vision;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A frame's LLaVA-Mini Z' ({@code [C²][D]} floats, prompt-independent) as bytes, the form the video memory
 * stores and {@link QueryFrame} carries: two little-endian ints (rows, width), then the rows as little-endian
 * float32. {@code 8 + 4·C²·D} bytes: 16 KiB at C = 1, D = 4096; float32 rather than float16 so an answer from
 * stored Z' equals one from re-encoded frames exactly.
 */
public final class FusedTokens {
    private static final int HEADER_BYTES = 2 * Integer.BYTES;

    private FusedTokens() {}

    public static byte[] toBytes(float[][] fused) {
        int d = fused[0].length;
        ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(HEADER_BYTES + (long) fused.length * d * Float.BYTES))
                .order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(fused.length).putInt(d);
        for (float[] row : fused) {
            if (row.length != d) {
                throw new IllegalArgumentException("ragged Z': a row of " + row.length + " floats, the first has " + d);
            }
            out.asFloatBuffer().put(row);
            out.position(out.position() + d * Float.BYTES);
        }
        return out.array();
    }

    /** @throws IllegalArgumentException when {@code bytes} are not {@link #toBytes}' */
    public static float[][] fromBytes(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int rows = bytes.length >= HEADER_BYTES ? in.getInt() : -1;
        int d = bytes.length >= HEADER_BYTES ? in.getInt() : -1;
        if (rows < 1 || d < 1 || bytes.length != HEADER_BYTES + (long) rows * d * Float.BYTES) {
            throw new IllegalArgumentException("not a stored Z' (" + bytes.length + " bytes)");
        }
        float[][] out = new float[rows][d];
        for (float[] row : out) {
            in.asFloatBuffer().get(row);
            in.position(in.position() + d * Float.BYTES);
        }
        return out;
    }
}

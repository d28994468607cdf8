package io.streamvl.models.llavamini;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * What LLaVA-Mini computes once per frame, whatever the prompt: the projected patch tokens G
 * ({@code [P][D]}), the projected compressed tokens Z ({@code [C²][D]}), and Z' ({@code [C²][D]}), the
 * compressed tokens after pre-fusion over {@code [G | Z]}. Z' is what the LLM receives for the frame; G and
 * Z are what a new prompt's fused text T' needs. Rows are not copied: treat them as immutable.
 *
 * <p>{@link #toBytes} is a little-endian float32 form for keeping frames in state: a 20-byte header and
 * {@code (P + 2·C²)·D} floats (9.4 MB at P = 576, D = 4096; Z' alone is {@code C²·D}).
 */
public record EncodedFrame(float[][] image, float[][] compressed, float[][] fused) {
    private static final int MAGIC = 0x53564c46; // "SVLF"
    private static final int VERSION = 1;
    private static final int HEADER_BYTES = 5 * Integer.BYTES;

    public EncodedFrame {
        FrameTokens tokens = new FrameTokens(image, compressed);
        if (fused.length != compressed.length) {
            throw new IllegalArgumentException(fused.length + " fused tokens for " + compressed.length + " compressed");
        }
        for (float[] row : fused) {
            if (row.length != tokens.width()) {
                throw new IllegalArgumentException("fused token of width " + row.length + ", the frame's are "
                        + tokens.width());
            }
        }
    }

    /** Pre-fusion's input for this frame. */
    public FrameTokens tokens() {
        return new FrameTokens(image, compressed);
    }

    public int width() {
        return image[0].length;
    }

    public byte[] toBytes() {
        int d = width();
        long floats = (long) (image.length + 2L * compressed.length) * d;
        ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(HEADER_BYTES + floats * Float.BYTES))
                .order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(MAGIC).putInt(VERSION).putInt(image.length).putInt(compressed.length).putInt(d);
        for (float[][] rows : new float[][][] {image, compressed, fused}) {
            for (float[] row : rows) {
                out.asFloatBuffer().put(row);
                out.position(out.position() + row.length * Float.BYTES);
            }
        }
        return out.array();
    }

    /** @throws IllegalArgumentException when {@code bytes} are not {@link #toBytes}' */
    public static EncodedFrame fromBytes(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < HEADER_BYTES || in.getInt() != MAGIC) {
            throw new IllegalArgumentException("not an encoded LLaVA-Mini frame (" + bytes.length + " bytes)");
        }
        int version = in.getInt();
        if (version != VERSION) {
            throw new IllegalArgumentException("encoded frame version " + version + ", this build reads " + VERSION);
        }
        int p = in.getInt();
        int c = in.getInt();
        int d = in.getInt();
        if (p < 1 || c < 1 || d < 1 || bytes.length != HEADER_BYTES + ((long) p + 2L * c) * d * Float.BYTES) {
            throw new IllegalArgumentException("encoded frame of " + bytes.length + " bytes does not hold " + p + "+2x"
                    + c + " tokens of width " + d);
        }
        return new EncodedFrame(rows(in, p, d), rows(in, c, d), rows(in, c, d));
    }

    private static float[][] rows(ByteBuffer in, int n, int d) {
        float[][] out = new float[n][d];
        for (float[] row : out) {
            in.asFloatBuffer().get(row);
            in.position(in.position() + d * Float.BYTES);
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EncodedFrame other && Arrays.deepEquals(image, other.image)
                && Arrays.deepEquals(compressed, other.compressed) && Arrays.deepEquals(fused, other.fused);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.deepHashCode(image) + Arrays.deepHashCode(compressed)) + Arrays.deepHashCode(fused);
    }

    @Override
    public String toString() {
        return "EncodedFrame[" + image.length + "+" + compressed.length + " tokens of width " + width() + "]";
    }
}

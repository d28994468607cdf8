package io.streamvl.models.weights;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.ShortBuffer;

/** Converts little-endian tensor bytes of a floating dtype to float32, in bulk. */
final class FloatDecoding {
    private static final int CHUNK = 8192;

    private FloatDecoding() {}

    /** Decodes all of {@code bytes} (position to limit) into {@code dst} from {@code dstOffset}. */
    static void decode(ByteBuffer bytes, DType dtype, float[] dst, int dstOffset) {
        ByteBuffer le = bytes.slice().order(ByteOrder.LITTLE_ENDIAN);
        switch (dtype) {
            case F32:
                le.asFloatBuffer().get(dst, dstOffset, le.remaining() / 4);
                break;
            case F16:
                decodeShorts(le.asShortBuffer(), true, dst, dstOffset);
                break;
            case BF16:
                decodeShorts(le.asShortBuffer(), false, dst, dstOffset);
                break;
            case F64:
                decodeDoubles(le.asDoubleBuffer(), dst, dstOffset);
                break;
            default:
                throw new IllegalArgumentException("not a floating dtype: " + dtype);
        }
    }

    private static void decodeShorts(ShortBuffer src, boolean f16, float[] dst, int dstOffset) {
        short[] chunk = new short[Math.min(CHUNK, src.remaining())];
        int out = dstOffset;
        while (src.hasRemaining()) {
            int n = Math.min(chunk.length, src.remaining());
            src.get(chunk, 0, n);
            for (int i = 0; i < n; i++) {
                dst[out++] = f16 ? HalfFloats.f16ToFloat(chunk[i]) : HalfFloats.bf16ToFloat(chunk[i]);
            }
        }
    }

    private static void decodeDoubles(DoubleBuffer src, float[] dst, int dstOffset) {
        double[] chunk = new double[Math.min(CHUNK, src.remaining())];
        int out = dstOffset;
        while (src.hasRemaining()) {
            int n = Math.min(chunk.length, src.remaining());
            src.get(chunk, 0, n);
            for (int i = 0; i < n; i++) {
                dst[out++] = (float) chunk[i];
            }
        }
    }
}

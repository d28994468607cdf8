package io.streamvl.models.weights;

/**
 * Exact conversions between float32 and the 16-bit float formats of checkpoints. Widening is exact
 * (every F16 and BF16 value is a float32); narrowing rounds to nearest, ties to even, like PyTorch's
 * {@code tensor.half()} and {@code tensor.bfloat16()}, so written checkpoints match Python's bit for bit.
 */
public final class HalfFloats {
    private static final float[] F16_TO_FLOAT = new float[1 << 16];

    static {
        for (int h = 0; h < F16_TO_FLOAT.length; h++) {
            F16_TO_FLOAT[h] = decodeF16(h);
        }
    }

    private HalfFloats() {}

    public static float f16ToFloat(short half) {
        return F16_TO_FLOAT[half & 0xffff];
    }

    public static float bf16ToFloat(short bf16) {
        return Float.intBitsToFloat((bf16 & 0xffff) << 16);
    }

    public static short floatToF16(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int exponent = (bits >>> 23) & 0xff;
        int mantissa = bits & 0x7fffff;
        if (exponent == 0xff) {
            // NaN keeps its top payload bits and is forced quiet so it cannot collapse into infinity.
            int nan = mantissa == 0 ? 0 : 0x200 | (mantissa >>> 13);
            return (short) (sign | 0x7c00 | nan);
        }
        int halfExponent = exponent - 127 + 15;
        if (halfExponent >= 0x1f) {
            return (short) (sign | 0x7c00);
        }
        if (halfExponent <= 0) {
            if (halfExponent < -10) {
                return (short) sign;
            }
            int shift = 14 - halfExponent;
            // A carry out of the subnormal range yields 0x400, which is the smallest normal: still correct.
            return (short) (sign | roundShift(mantissa | 0x800000, shift));
        }
        // A carry out of the mantissa increments the exponent, and out of the largest exponent gives infinity.
        int half = (halfExponent << 10) | (mantissa >>> 13);
        int rest = mantissa & 0x1fff;
        if (rest > 0x1000 || (rest == 0x1000 && (half & 1) != 0)) {
            half++;
        }
        return (short) (sign | half);
    }

    public static short floatToBf16(float value) {
        int bits = Float.floatToRawIntBits(value);
        if (Float.isNaN(value)) {
            return (short) ((bits >>> 16) | 0x40);
        }
        int roundingBias = 0x7fff + ((bits >>> 16) & 1);
        return (short) ((bits + roundingBias) >>> 16);
    }

    /** The nearest representable value: what a float32 becomes after a round trip through {@code dtype}. */
    public static float round(float value, DType dtype) {
        switch (dtype) {
            case F32:
                return value;
            case F16:
                return f16ToFloat(floatToF16(value));
            case BF16:
                return bf16ToFloat(floatToBf16(value));
            default:
                throw new IllegalArgumentException("not a float32/16-bit type: " + dtype);
        }
    }

    private static int roundShift(int value, int shift) {
        int kept = value >>> shift;
        int rest = value & ((1 << shift) - 1);
        int halfway = 1 << (shift - 1);
        if (rest > halfway || (rest == halfway && (kept & 1) != 0)) {
            kept++;
        }
        return kept;
    }

    private static float decodeF16(int half) {
        int sign = (half & 0x8000) << 16;
        int exponent = (half >>> 10) & 0x1f;
        int mantissa = half & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            // Subnormal: mantissa * 2^-24, exact in float32 because the mantissa has at most 10 bits.
            float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }
}

package io.streamvl.models.weights;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HalfFloatsTest {
    private static boolean isNaNF16(int h) {
        return (h & 0x7c00) == 0x7c00 && (h & 0x3ff) != 0;
    }

    @Test
    void f16DecodesKnownValues() {
        assertThat(HalfFloats.f16ToFloat((short) 0x3c00)).isEqualTo(1.0f);
        assertThat(HalfFloats.f16ToFloat((short) 0xc000)).isEqualTo(-2.0f);
        assertThat(HalfFloats.f16ToFloat((short) 0x3555)).isEqualTo(0.333251953125f);
        assertThat(HalfFloats.f16ToFloat((short) 0x7bff)).isEqualTo(65504f);
        assertThat(HalfFloats.f16ToFloat((short) 0x0400)).isEqualTo(0x1p-14f);
        assertThat(HalfFloats.f16ToFloat((short) 0x0001)).isEqualTo(0x1p-24f);
        assertThat(HalfFloats.f16ToFloat((short) 0x03ff)).isEqualTo(1023 * 0x1p-24f);
        assertThat(HalfFloats.f16ToFloat((short) 0x8001)).isEqualTo(-0x1p-24f);
        assertThat(Float.floatToRawIntBits(HalfFloats.f16ToFloat((short) 0x8000))).isEqualTo(0x80000000);
        assertThat(HalfFloats.f16ToFloat((short) 0x7c00)).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(HalfFloats.f16ToFloat((short) 0xfc00)).isEqualTo(Float.NEGATIVE_INFINITY);
        assertThat(HalfFloats.f16ToFloat((short) 0x7e00)).isNaN();
        assertThat(HalfFloats.f16ToFloat((short) 0x7c01)).isNaN();
    }

    @Test
    void everyF16SurvivesARoundTrip() {
        for (int h = 0; h < 0x10000; h++) {
            float f = HalfFloats.f16ToFloat((short) h);
            int back = HalfFloats.floatToF16(f) & 0xffff;
            if (isNaNF16(h)) {
                assertThat(isNaNF16(back)).as("NaN %04x", h).isTrue();
            } else {
                assertThat(back).as("half %04x", h).isEqualTo(h);
            }
        }
    }

    @Test
    void f16NarrowingRoundsToNearestEven() {
        // Exhaustive over neighbours: the midpoint of two adjacent positive halves is exact in float32.
        for (int h = 0; h < 0x7bff; h++) {
            double lo = HalfFloats.f16ToFloat((short) h);
            double hi = HalfFloats.f16ToFloat((short) (h + 1));
            float mid = (float) ((lo + hi) / 2);
            int even = (h & 1) == 0 ? h : h + 1;
            assertThat(HalfFloats.floatToF16(mid) & 0xffff).as("midpoint above %04x", h).isEqualTo(even);
            assertThat(HalfFloats.floatToF16(Math.nextDown(mid)) & 0xffff).isEqualTo(h);
            assertThat(HalfFloats.floatToF16(Math.nextUp(mid)) & 0xffff).isEqualTo(h + 1);
            assertThat(HalfFloats.floatToF16((float) -((lo + hi) / 2)) & 0xffff).isEqualTo(even | 0x8000);
        }
    }

    @Test
    void f16NarrowingEdges() {
        assertThat(HalfFloats.floatToF16(65519.99f)).isEqualTo((short) 0x7bff);
        assertThat(HalfFloats.floatToF16(65520f)).isEqualTo((short) 0x7c00);
        assertThat(HalfFloats.floatToF16(1e10f)).isEqualTo((short) 0x7c00);
        assertThat(HalfFloats.floatToF16(-1e10f)).isEqualTo((short) 0xfc00);
        assertThat(HalfFloats.floatToF16(0x1p-25f)).isEqualTo((short) 0);
        assertThat(HalfFloats.floatToF16(Math.nextUp(0x1p-25f))).isEqualTo((short) 1);
        assertThat(HalfFloats.floatToF16(3 * 0x1p-25f)).isEqualTo((short) 2);
        assertThat(HalfFloats.floatToF16(0x1p-30f)).isEqualTo((short) 0);
        assertThat(HalfFloats.floatToF16(-0x1p-30f)).isEqualTo((short) 0x8000);
        assertThat(HalfFloats.floatToF16(Float.MIN_VALUE)).isEqualTo((short) 0);
        assertThat(HalfFloats.floatToF16(Math.nextDown(0x1p-14f))).isEqualTo((short) 0x0400);
        assertThat(HalfFloats.floatToF16(Float.POSITIVE_INFINITY)).isEqualTo((short) 0x7c00);
        assertThat(HalfFloats.f16ToFloat(HalfFloats.floatToF16(Float.NaN))).isNaN();
        assertThat(HalfFloats.f16ToFloat(HalfFloats.floatToF16(Float.intBitsToFloat(0x7f800001)))).isNaN();
    }

    @Test
    void bf16IsTheUpperHalfOfFloat32() {
        assertThat(HalfFloats.bf16ToFloat((short) 0x3f80)).isEqualTo(1.0f);
        assertThat(HalfFloats.bf16ToFloat((short) 0xc0a0)).isEqualTo(-5.0f);
        assertThat(HalfFloats.bf16ToFloat((short) 0x0001)).isEqualTo(Float.intBitsToFloat(0x00010000));
        assertThat(HalfFloats.bf16ToFloat((short) 0x7f80)).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(HalfFloats.bf16ToFloat((short) 0x7fc0)).isNaN();
        for (int b = 0; b < 0x10000; b++) {
            float f = HalfFloats.bf16ToFloat((short) b);
            assertThat(Float.floatToRawIntBits(f)).isEqualTo(b << 16);
            if (!Float.isNaN(f)) {
                assertThat(HalfFloats.floatToBf16(f) & 0xffff).isEqualTo(b);
            }
        }
    }

    @Test
    void bf16NarrowingRoundsToNearestEven() {
        assertThat(HalfFloats.floatToBf16(1 + 0x1p-8f)).isEqualTo((short) 0x3f80);
        assertThat(HalfFloats.floatToBf16(Math.nextUp(1 + 0x1p-8f))).isEqualTo((short) 0x3f81);
        assertThat(HalfFloats.floatToBf16(1 + 0x1p-7f + 0x1p-8f)).isEqualTo((short) 0x3f82);
        assertThat(HalfFloats.floatToBf16(Float.MAX_VALUE)).isEqualTo((short) 0x7f80);
        assertThat(HalfFloats.floatToBf16(-0.0f)).isEqualTo((short) 0x8000);
        assertThat(HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(Float.intBitsToFloat(0x7f800001)))).isNaN();
        assertThat(HalfFloats.round(0.1f, DType.BF16)).isEqualTo(0.10009765625f);
        assertThat(HalfFloats.round(0.1f, DType.F16)).isEqualTo(0.0999755859375f);
    }
}

package io.streamvl.operators.vision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FusedTokensTest {
    @Test
    void roundTripsExactlyInEightBytesPlusFourPerFloat() {
        float[][] z = {{1.5f, -0f, Float.MIN_VALUE, 3e38f}, {-7f, 0.1f, Float.NaN, 2f}};
        byte[] bytes = FusedTokens.toBytes(z);
        assertThat(bytes).hasSize(8 + 2 * 4 * 4);
        float[][] back = FusedTokens.fromBytes(bytes);
        for (int r = 0; r < z.length; r++) {
            for (int c = 0; c < z[r].length; c++) {
                assertThat(Float.floatToRawIntBits(back[r][c])).isEqualTo(Float.floatToRawIntBits(z[r][c]));
            }
        }
    }

    @Test
    void refusesBytesOfAnotherShape() {
        byte[] bytes = FusedTokens.toBytes(new float[][] {{1, 2, 3}});
        assertThatThrownBy(() -> FusedTokens.fromBytes(java.util.Arrays.copyOf(bytes, bytes.length - 1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FusedTokens.fromBytes(new byte[3])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FusedTokens.toBytes(new float[][] {{1, 2}, {3}}))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

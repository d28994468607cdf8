package io.streamvl.models.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class AnyResViewsTest {
    private static final int SIZE = 8;
    private static final int FRAME = SIZE * SIZE * 3;

    @Test
    void theWholeImageComesFirstThenTheTilesRowByRow() {
        float[] image = new float[FRAME];
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                // each quadrant its own red level, blue the column
                image[(y * SIZE + x) * 3] = (y < SIZE / 2 ? 0 : 2) + (x < SIZE / 2 ? 0 : 1);
                image[(y * SIZE + x) * 3 + 2] = x;
            }
        }
        float[] views = AnyResViews.of(image, SIZE);
        assertThat(views).hasSize(AnyResViews.VIEWS * FRAME);
        assertThat(Arrays.copyOfRange(views, 0, FRAME)).containsExactly(image);
        for (int tile = 0; tile < 4; tile++) {
            float[] t = Arrays.copyOfRange(views, (1 + tile) * FRAME, (2 + tile) * FRAME);
            // away from the tile's inner edges the quadrant's level is all there is
            assertThat(t[(1 * SIZE + 1) * 3]).as("tile %d", tile).isEqualTo(tile);
            assertThat(t[1]).isZero();
        }
        // the top-left tile is the top-left quadrant at twice the size: column x of the tile is column x/2 - 1/4
        float[] topLeft = Arrays.copyOfRange(views, FRAME, 2 * FRAME);
        assertThat(topLeft[(2 * SIZE + 0) * 3 + 2]).isEqualTo(0f);
        assertThat(topLeft[(2 * SIZE + 3) * 3 + 2]).isCloseTo(1.25f, within(1e-6f));
        assertThat(topLeft[(2 * SIZE + 4) * 3 + 2]).isCloseTo(1.75f, within(1e-6f));
        float[] topRight = Arrays.copyOfRange(views, 2 * FRAME, 3 * FRAME);
        assertThat(topRight[(2 * SIZE + SIZE - 1) * 3 + 2]).as("clamped at the image's edge").isEqualTo(SIZE - 1);
    }

    @Test
    void aSmallObjectIsTwiceAsWideInItsTileAndAbsentFromTheOthers() {
        float[] image = new float[FRAME];
        for (int y = 1; y <= 2; y++) {
            for (int x = 1; x <= 2; x++) {
                image[(y * SIZE + x) * 3 + 1] = 1;
            }
        }
        float[] views = AnyResViews.of(image, SIZE);
        assertThat(covered(Arrays.copyOfRange(views, 0, FRAME))).isEqualTo(4);
        assertThat(covered(Arrays.copyOfRange(views, FRAME, 2 * FRAME))).as("2x2 pixels become 4x4").isEqualTo(16);
        for (int tile = 1; tile < 4; tile++) {
            assertThat(covered(Arrays.copyOfRange(views, (1 + tile) * FRAME, (2 + tile) * FRAME))).isZero();
        }
    }

    @Test
    void refusesAnImageOfAnotherSize() {
        assertThatThrownBy(() -> AnyResViews.of(new float[FRAME - 3], SIZE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("8x8x3");
    }

    /** Pixels whose green is at least half. */
    private static int covered(float[] view) {
        int n = 0;
        for (int p = 0; p < SIZE * SIZE; p++) {
            n += view[p * 3 + 1] >= 0.5f ? 1 : 0;
        }
        return n;
    }
}

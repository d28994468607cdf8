package io.streamvl.models.tsllava;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ThumbnailTest {

    @Test
    void gridsFollowFindBestGrid() {
        assertThat(ThumbnailGrid.forFrames(1)).isEqualTo(new ThumbnailGrid(1, 1));
        assertThat(ThumbnailGrid.forFrames(2)).isEqualTo(new ThumbnailGrid(2, 1));
        assertThat(ThumbnailGrid.forFrames(4)).isEqualTo(new ThumbnailGrid(2, 2));
        assertThat(ThumbnailGrid.forFrames(6)).isEqualTo(new ThumbnailGrid(3, 2));
        assertThat(ThumbnailGrid.forFrames(7)).isEqualTo(new ThumbnailGrid(7, 1));
        assertThat(ThumbnailGrid.forFrames(8)).isEqualTo(new ThumbnailGrid(4, 2));
        assertThat(ThumbnailGrid.forFrames(12)).isEqualTo(new ThumbnailGrid(4, 3));
        assertThatThrownBy(() -> ThumbnailGrid.forFrames(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void defaultThumbnailIsThreeRowsOfTwo112By168Cells() {
        Thumbnail thumbnail = TsLlavaConfig.DEFAULT.thumbnail();
        assertThat(thumbnail.grid()).isEqualTo(new ThumbnailGrid(3, 2));
        assertThat(thumbnail.cellHeight()).isEqualTo(112);
        assertThat(thumbnail.cellWidth()).isEqualTo(168);
        assertThat(thumbnail.pick(50)).containsExactly(0, 10, 20, 29, 39, 49);
    }

    @Test
    void frameKFillsRowKDivColsColumnKModCols() {
        Thumbnail thumbnail = new Thumbnail(6, 336, 336);
        List<RgbImage> frames = new ArrayList<>();
        for (int k = 0; k < 6; k++) {
            frames.add(constant(336, 336, 10 * k, 100 + k, 200 - k));
        }
        RgbImage out = thumbnail.compose(frames);
        assertThat(out.height()).isEqualTo(336);
        assertThat(out.width()).isEqualTo(336);
        for (int y = 0; y < 336; y++) {
            for (int x = 0; x < 336; x++) {
                int k = (y / 112) * 2 + x / 168;
                assertThat(out.get(y, x, 0)).isEqualTo(10f * k);
                assertThat(out.get(y, x, 1)).isEqualTo(100f + k);
                assertThat(out.get(y, x, 2)).isEqualTo(200f - k);
            }
        }
    }

    @Test
    void eachCellIsTheThreeByTwoBoxMeanOfItsFrame() {
        float[] hwc = new float[336 * 336 * 3];
        for (int y = 0; y < 336; y++) {
            for (int x = 0; x < 336; x++) {
                int at = (y * 336 + x) * 3;
                hwc[at] = x;
                hwc[at + 1] = y;
                hwc[at + 2] = (x % 2) * 255;
            }
        }
        RgbImage pattern = RgbImage.of(336, 336, hwc);
        List<RgbImage> frames = new ArrayList<>(List.of(pattern));
        for (int k = 1; k < 6; k++) {
            frames.add(constant(336, 336, 0, 0, 0));
        }
        RgbImage out = new Thumbnail(6, 336, 336).compose(frames);
        for (int oy = 0; oy < 112; oy++) {
            for (int ox = 0; ox < 168; ox++) {
                assertThat(out.get(oy, ox, 0)).isEqualTo(2 * ox + 0.5f);
                assertThat(out.get(oy, ox, 1)).isEqualTo(3 * oy + 1f);
                assertThat(out.get(oy, ox, 2)).isEqualTo(127.5f);
            }
        }
        assertThat(out.get(0, 168, 0)).isZero();
    }

    @Test
    void unevenFactorsUseOverlappingAdaptiveWindows() {
        // 5 rows into 2: windows [0, 3) and [2, 5), as adaptive average pooling takes them.
        float[] hwc = new float[5 * 2 * 3];
        for (int y = 0; y < 5; y++) {
            for (int x = 0; x < 2; x++) {
                hwc[(y * 2 + x) * 3] = y * 2 + x;
            }
        }
        RgbImage frame = RgbImage.of(5, 2, hwc);
        RgbImage out = new Thumbnail(2, 4, 2).compose(List.of(frame, frame));
        assertThat(out.get(0, 0, 0)).isEqualTo((0 + 2 + 4) / 3f);
        assertThat(out.get(1, 0, 0)).isEqualTo((4 + 6 + 8) / 3f);
        assertThat(out.get(0, 1, 0)).isEqualTo((1 + 3 + 5) / 3f);
        assertThat(out.get(3, 1, 0)).isEqualTo((5 + 7 + 9) / 3f);
    }

    @Test
    void framesAtCellSizeAreCopied() {
        RgbImage frame = constant(2, 3, 1, 2, 3);
        RgbImage out = new Thumbnail(1, 2, 3).compose(List.of(frame));
        assertThat(out).isEqualTo(frame);
    }

    @Test
    void bytesWidenUnsignedAndRoundBackHalfToEven() {
        RgbImage image = RgbImage.ofBytes(1, 1, new byte[] {(byte) 255, 0, (byte) 128});
        assertThat(image.toArray()).containsExactly(255f, 0f, 128f);
        assertThat(RgbImage.of(1, 2, new float[] {2.5f, 3.5f, -4f, 300f, 0.49f, 127.5f}).toBytes())
                .containsExactly((byte) 2, (byte) 4, (byte) 0, (byte) 255, (byte) 0, (byte) 128);
    }

    @Test
    void rejectsWrongFrameCountsSmallFramesAndUntileableSizes() {
        Thumbnail thumbnail = new Thumbnail(6, 336, 336);
        assertThatThrownBy(() -> thumbnail.compose(List.of(constant(336, 336, 0, 0, 0))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("6 frames");
        List<RgbImage> small = new ArrayList<>();
        for (int k = 0; k < 6; k++) {
            small.add(constant(100, 336, 0, 0, 0));
        }
        assertThatThrownBy(() -> thumbnail.compose(small)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("smaller than a 112x168");
        assertThatThrownBy(() -> thumbnail.pick(5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Thumbnail(6, 32, 32)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3x2");
        assertThatThrownBy(() -> RgbImage.of(2, 2, new float[11])).isInstanceOf(IllegalArgumentException.class);
    }

    private static RgbImage constant(int height, int width, float r, float g, float b) {
        float[] hwc = new float[height * width * 3];
        for (int i = 0; i < hwc.length; i += 3) {
            hwc[i] = r;
            hwc[i + 1] = g;
            hwc[i + 2] = b;
        }
        return RgbImage.of(height, width, hwc);
    }
}

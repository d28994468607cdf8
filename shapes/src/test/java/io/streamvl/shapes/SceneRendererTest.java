package io.streamvl.shapes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SceneRendererTest {
    private final SceneRenderer renderer = new SceneRenderer();

    @Test
    void usesOnlyTheBackgroundAndObjectColours() {
        for (int i = 0; i < 40; i++) {
            Scene scene = ShapesWorld.video(11, i).scene();
            Set<Rgb> allowed = new HashSet<>();
            allowed.add(scene.background().rgb());
            scene.objects().forEach(o -> allowed.add(o.color().rgb()));
            for (int k : new int[] {0, scene.frameCount() - 1}) {
                assertThat(colours(renderer.renderRgb(scene, k))).isSubsetOf(allowed).contains(scene.background().rgb());
            }
        }
    }

    @Test
    void squareFillsItsBoxExactly() {
        byte[] rgb = render(ShapeKind.SQUARE, 40, 100, 50);
        for (int y = 0; y < 240; y++) {
            for (int x = 0; x < 320; x++) {
                boolean inside = x >= 100 && x < 140 && y >= 50 && y < 90;
                assertThat(isRed(rgb, x, y)).as("(%d,%d)", x, y).isEqualTo(inside);
            }
        }
    }

    /** Pixel centres strictly inside the inscribed circle are filled, those clearly outside are not. */
    @Test
    void circleIsInscribedInItsBox() {
        int s = 45;
        byte[] rgb = render(ShapeKind.CIRCLE, s, 60, 70);
        double cx = 60 + s / 2.0;
        double cy = 70 + s / 2.0;
        int filled = 0;
        for (int y = 0; y < 240; y++) {
            for (int x = 0; x < 320; x++) {
                double d = Math.hypot(x + 0.5 - cx, y + 0.5 - cy);
                if (d < s / 2.0 - 0.75) {
                    assertThat(isRed(rgb, x, y)).as("(%d,%d)", x, y).isTrue();
                } else if (d > s / 2.0 + 0.75) {
                    assertThat(isRed(rgb, x, y)).as("(%d,%d)", x, y).isFalse();
                }
                filled += isRed(rgb, x, y) ? 1 : 0;
            }
        }
        assertThat((double) filled).isCloseTo(Math.PI * s * s / 4, org.assertj.core.data.Percentage.withPercentage(3));
    }

    /** Apex at the top middle of the box, base along its bottom edge. */
    @Test
    void triangleStandsOnItsBaseAndPointsUp() {
        int s = 50;
        int left = 200;
        int top = 100;
        byte[] rgb = render(ShapeKind.TRIANGLE, s, left, top);
        for (int y = 0; y < 240; y++) {
            for (int x = 0; x < 320; x++) {
                double px = x + 0.5 - left;
                double py = y + 0.5 - top;
                double halfWidth = py / 2;
                double fromAxis = Math.abs(px - s / 2.0);
                if (py > 0.5 && py < s - 0.5 && fromAxis < halfWidth - 0.6) {
                    assertThat(isRed(rgb, x, y)).as("(%d,%d)", x, y).isTrue();
                } else if (py < -0.5 || py > s + 0.5 || fromAxis > halfWidth + 0.6) {
                    assertThat(isRed(rgb, x, y)).as("(%d,%d)", x, y).isFalse();
                }
            }
        }
        assertThat(rowWidth(rgb, top + s - 1)).isBetween(s - 2, s);
        assertThat(rowWidth(rgb, top)).isLessThanOrEqualTo(2);
    }

    @Test
    void laterObjectsAreDrawnOnTop() {
        Scene scene = new Scene(Background.BLACK, 4, 10, List.of(
                new SceneObject(ShapeKind.SQUARE, ShapeColor.RED, 40, 100, 100, Direction.STILL, 0),
                new SceneObject(ShapeKind.SQUARE, ShapeColor.BLUE, 40, 120, 100, Direction.STILL, 0)));
        byte[] rgb = renderer.renderRgb(scene, 0);
        assertThat(Rgb.at(rgb, 320, 110, 110)).isEqualTo(ShapeColor.RED.rgb());
        assertThat(Rgb.at(rgb, 320, 130, 110)).isEqualTo(ShapeColor.BLUE.rgb());
        assertThat(Rgb.at(rgb, 320, 50, 50)).isEqualTo(Background.BLACK.rgb());
    }

    @Test
    void followsTheObjectFromFrameToFrame() {
        Scene scene = new Scene(Background.WHITE, 4, 10, List.of(
                new SceneObject(ShapeKind.SQUARE, ShapeColor.RED, 30, 10, 10, Direction.RIGHT, 4)));
        byte[] last = renderer.renderRgb(scene, 39);
        assertThat(isRed(last, 10 + 156, 10)).isTrue();
        assertThat(isRed(last, 10 + 155, 10)).isFalse();
    }

    private byte[] render(ShapeKind shape, int size, int left, int top) {
        Scene scene = new Scene(Background.GRAY, 4, 10, List.of(
                new SceneObject(shape, ShapeColor.RED, size, left, top, Direction.STILL, 0)));
        return renderer.renderRgb(scene, 0);
    }

    private static boolean isRed(byte[] rgb, int x, int y) {
        return Rgb.at(rgb, 320, x, y).equals(ShapeColor.RED.rgb());
    }

    private static int rowWidth(byte[] rgb, int y) {
        int n = 0;
        for (int x = 0; x < 320; x++) {
            n += isRed(rgb, x, y) ? 1 : 0;
        }
        return n;
    }

    private static Set<Rgb> colours(byte[] rgb) {
        Set<Rgb> out = new HashSet<>();
        for (int i = 0; i < 320 * 240; i++) {
            out.add(Rgb.at(rgb, 320, i % 320, i / 320));
        }
        return out;
    }
}

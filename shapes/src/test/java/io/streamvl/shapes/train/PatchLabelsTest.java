package io.streamvl.shapes.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamvl.shapes.Background;
import io.streamvl.shapes.Box;
import io.streamvl.shapes.Direction;
import io.streamvl.shapes.Scene;
import io.streamvl.shapes.SceneObject;
import io.streamvl.shapes.ShapeColor;
import io.streamvl.shapes.ShapeKind;
import java.util.List;
import org.junit.jupiter.api.Test;

class PatchLabelsTest {
    /** 48-pixel input, 8-pixel patches: patch (r, c) reads source x in [c * 320/6, ...), y in [r * 40, ...). */
    private static final int SIZE = 48;
    private static final int PATCH = 8;

    @Test
    void anObjectLabelsThePatchOfItsCentreAndMovesWithTheFrame() {
        // A 40-pixel blue square whose box is exactly source patch (1, 1) (x 53..93, y 40..80), moving right 5 px/frame.
        SceneObject square = new SceneObject(ShapeKind.SQUARE, ShapeColor.BLUE, 40, 54, 40, Direction.RIGHT, 5.4);
        Scene scene = new Scene(Background.BLACK, 4, 10, List.of(square));
        int[] labels = PatchLabels.of(scene, new int[] {0, 10}, SIZE, PATCH);
        assertThat(labels).hasSize(2 * 36);
        int label = PatchLabels.classOf(square);
        assertThat(label).isBetween(1, PatchLabels.CLASSES - 1);
        assertThat(objectPatches(labels, 0)).containsExactly(1 * 6 + 1);
        assertThat(labels[7]).isEqualTo(label);
        // Ten frames later it has moved 54 px, one patch to the right.
        assertThat(objectPatches(labels, 1)).containsExactly(1 * 6 + 2);
    }

    @Test
    void theTopmostObjectWinsWhereObjectsOverlapEqually() {
        SceneObject below = new SceneObject(ShapeKind.SQUARE, ShapeColor.RED, 40, 54, 40, Direction.STILL, 0);
        SceneObject above = new SceneObject(ShapeKind.SQUARE, ShapeColor.GREEN, 40, 54, 40, Direction.STILL, 0);
        int[] labels = PatchLabels.of(new Scene(Background.WHITE, 4, 10, List.of(below, above)), new int[] {0}, SIZE,
                PATCH);
        assertThat(labels[7]).isEqualTo(PatchLabels.classOf(above));
    }

    @Test
    void anObjectAcrossPatchesLabelsItsCentrePatchAndTheOthersItTouchesAreIgnored() {
        // A 60-pixel red triangle, box x 40..100, y 20..80: centre (70, 50) lies in patch (1, 1); its pixels reach
        // patches of rows 0-1 and columns 0-1.
        SceneObject triangle = new SceneObject(ShapeKind.TRIANGLE, ShapeColor.RED, 60, 40, 20, Direction.STILL, 0);
        int[] labels = PatchLabels.of(new Scene(Background.GRAY, 4, 10, List.of(triangle)), new int[] {0}, SIZE, PATCH);
        assertThat(objectPatches(labels, 0)).containsExactly(1 * 6 + 1);
        assertThat(labels[7]).isEqualTo(PatchLabels.classOf(triangle));
        assertThat(labels[0 * 6 + 1]).isEqualTo(PatchLabels.IGNORED);
        assertThat(labels[1 * 6 + 0]).isEqualTo(PatchLabels.IGNORED);
        assertThat(labels[3 * 6 + 3]).isZero();
    }

    @Test
    void classesTellEveryColourAndShapeApart() {
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (ShapeColor c : ShapeColor.values()) {
            for (ShapeKind k : ShapeKind.values()) {
                seen.add(PatchLabels.classOf(new SceneObject(k, c, 30, 0, 0, Direction.STILL, 0)));
            }
        }
        assertThat(seen).hasSize(PatchLabels.CLASSES - 1).doesNotContain(0);
    }

    @Test
    void triangleAndCircleCoverLessOfTheirBoxThanTheSquare() {
        Box box = new Box(0, 0, 40);
        assertThat(PatchLabels.covers(ShapeKind.TRIANGLE, box, 20, 1)).isTrue();
        assertThat(PatchLabels.covers(ShapeKind.TRIANGLE, box, 2, 2)).isFalse();
        assertThat(PatchLabels.covers(ShapeKind.CIRCLE, box, 2, 2)).isFalse();
        assertThat(PatchLabels.covers(ShapeKind.CIRCLE, box, 20, 20)).isTrue();
        assertThat(PatchLabels.covers(ShapeKind.SQUARE, box, 2, 2)).isTrue();
        assertThat(PatchLabels.covers(ShapeKind.SQUARE, box, 40.5, 2)).isFalse();
    }

    private static List<Integer> objectPatches(int[] labels, int frame) {
        List<Integer> out = new java.util.ArrayList<>();
        for (int p = 0; p < 36; p++) {
            if (labels[frame * 36 + p] > 0) {
                out.add(p);
            }
        }
        return out;
    }
}

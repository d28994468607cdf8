package io.streamvl.shapes.train;

import static io.streamvl.shapes.ShapesWorld.HEIGHT;
import static io.streamvl.shapes.ShapesWorld.WIDTH;

import io.streamvl.shapes.Box;
import io.streamvl.shapes.Scene;
import io.streamvl.shapes.SceneObject;
import io.streamvl.shapes.ShapeColor;
import io.streamvl.shapes.ShapeKind;

/**
 * What each vision patch of a sampled frame shows, from the scene's geometry: the training-only auxiliary target
 * that teaches the tower colour and shape at every position (the answer tokens alone are too weak a signal for a
 * tower trained from scratch). Class 0 is background, {@code 1 + colour * 3 + shape} an object; a patch takes the
 * object that covers most of the source pixels the nearest-neighbour resize reads for it, topmost first on ties, as
 * the renderer draws later objects on top. Never an input of the model: only a training loss reads it.
 */
public final class PatchLabels {
    public static final int CLASSES = 1 + ShapeColor.values().length * ShapeKind.values().length;

    private PatchLabels() {}

    public static int classOf(SceneObject o) {
        return 1 + o.color().ordinal() * ShapeKind.values().length + o.shape().ordinal();
    }

    /**
     * @param frames scene frame indices of the sampled frames
     * @param imageSize the model's square input side
     * @param patch the tower's patch side
     * @return {@code [frames][grid * grid]} labels, row-major patches, concatenated
     */
    public static int[] of(Scene scene, int[] frames, int imageSize, int patch) {
        int grid = imageSize / patch;
        int[] labels = new int[frames.length * grid * grid];
        int[] owner = new int[imageSize * imageSize];
        for (int f = 0; f < frames.length; f++) {
            paint(scene, frames[f], imageSize, owner);
            for (int row = 0; row < grid; row++) {
                for (int col = 0; col < grid; col++) {
                    labels[(f * grid + row) * grid + col] = majority(owner, imageSize, patch, row, col, scene);
                }
            }
        }
        return labels;
    }

    /** owner[y * size + x]: 1 + index of the topmost object under the source pixel model pixel (x, y) reads, or 0. */
    private static void paint(Scene scene, int frame, int size, int[] owner) {
        for (int y = 0; y < size; y++) {
            int sy = y * HEIGHT / size;
            for (int x = 0; x < size; x++) {
                int sx = x * WIDTH / size;
                int top = 0;
                for (int i = 0; i < scene.objects().size(); i++) {
                    SceneObject o = scene.objects().get(i);
                    if (covers(o.shape(), o.boxAt(frame), sx + 0.5, sy + 0.5)) {
                        top = i + 1;
                    }
                }
                owner[y * size + x] = top;
            }
        }
    }

    private static int majority(int[] owner, int size, int patch, int row, int col, Scene scene) {
        int[] counts = new int[scene.objects().size() + 1];
        for (int y = row * patch; y < (row + 1) * patch; y++) {
            for (int x = col * patch; x < (col + 1) * patch; x++) {
                counts[owner[y * size + x]]++;
            }
        }
        int best = 0;
        for (int i = 1; i < counts.length; i++) {
            if (counts[i] > 0 && (best == 0 || counts[i] >= counts[best])) {
                best = i;
            }
        }
        return best == 0 ? 0 : classOf(scene.objects().get(best - 1));
    }

    /** Whether the pixel centre (px, py) lies inside the shape as {@code SceneRenderer} draws it. */
    static boolean covers(ShapeKind shape, Box b, double px, double py) {
        double s = b.size();
        double u = px - b.left();
        double v = py - b.top();
        if (u < 0 || v < 0 || u >= s || v >= s) {
            return false;
        }
        return switch (shape) {
            case SQUARE -> true;
            case CIRCLE -> {
                double dx = u - s / 2;
                double dy = v - s / 2;
                yield dx * dx + dy * dy <= s * s / 4;
            }
            // Apex at (s/2, 0), base from (0, s) to (s, s): inside when |u - s/2| <= v / 2.
            case TRIANGLE -> Math.abs(u - s / 2) <= v / 2;
        };
    }
}

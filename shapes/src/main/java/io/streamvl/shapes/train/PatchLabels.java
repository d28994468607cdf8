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
 * tower trained from scratch). Class 0 is background, {@code 1 + colour * 3 + shape} an object, {@link #IGNORED} a
 * patch the loss skips.
 *
 * <p>Each object labels one patch, the one its box's centre falls in (the topmost object when two centres share a
 * patch, as the renderer draws later objects on top). The other patches it touches are ignored rather than labelled:
 * a patch showing an object's corner cannot tell a triangle from a square, and labelling it as one taught the tower
 * colour but never shape. Patches with no object pixel are background. Never an input of the model: only a training
 * loss reads it.
 */
public final class PatchLabels {
    public static final int CLASSES = 1 + ShapeColor.values().length * ShapeKind.values().length;
    /** A patch no class is asked of (its one-hot row is all zeros, so it adds nothing to the loss). */
    public static final int IGNORED = -1;

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
            int offset = f * grid * grid;
            for (int row = 0; row < grid; row++) {
                for (int col = 0; col < grid; col++) {
                    labels[offset + row * grid + col] = touched(owner, imageSize, patch, row, col) ? IGNORED : 0;
                }
            }
            for (SceneObject o : scene.objects()) {
                Box b = o.boxAt(frames[f]);
                int col = centrePatch(b.left() + b.size() / 2.0, WIDTH, imageSize, patch, grid);
                int row = centrePatch(b.top() + b.size() / 2.0, HEIGHT, imageSize, patch, grid);
                labels[offset + row * grid + col] = classOf(o);
            }
        }
        return labels;
    }

    /** The patch index along one axis of a source coordinate, clamped to the grid (a centre never leaves the frame). */
    private static int centrePatch(double source, int sourceSize, int imageSize, int patch, int grid) {
        int model = (int) Math.floor(source * imageSize / sourceSize);
        return Math.max(0, Math.min(grid - 1, model / patch));
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

    private static boolean touched(int[] owner, int size, int patch, int row, int col) {
        for (int y = row * patch; y < (row + 1) * patch; y++) {
            for (int x = col * patch; x < (col + 1) * patch; x++) {
                if (owner[y * size + x] != 0) {
                    return true;
                }
            }
        }
        return false;
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

package io.streamvl.shapes;

import static io.streamvl.shapes.ShapesWorld.FPS;
import static io.streamvl.shapes.ShapesWorld.HEIGHT;
import static io.streamvl.shapes.ShapesWorld.WIDTH;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Draws scenes within the spec. Every choice is uniform: background, whole-second duration
 * (4..8 s), object count (1..3), distinct (shape, colour) pairs, size (30..60 px), direction (the
 * four moves and staying still, 1/5 each).
 *
 * <p>A moving object travels an integer distance between frame 0 and the last frame, uniform from
 * half the frame (160 px across, 120 px up/down) up to what keeps it fully inside the frame, and
 * starts where the whole path stays inside: stricter than "fully visible in the first frame", so
 * that every frame shows every object whole (save for brief overlaps).
 *
 * <p>"Objects may overlap briefly" is enforced on the objects' boxes: an object whose box meets an
 * earlier object's box in frame 0, or in more than a quarter of the frames, gets a new size,
 * direction and path (its shape and colour stay). Without this two still objects could sit on
 * each other for the whole video and the lower one would never be seen.
 */
public final class SceneSampler {
    private static final int MAX_OVERLAP_FRAMES_DIVISOR = 4;
    /** Far above need: a third object fits in its first few tries even among two big ones. */
    private static final int MAX_PLACEMENT_TRIES = 10_000;

    private SceneSampler() {}

    public static Scene sample(SplittableRandom random) {
        Background background = pick(Background.values(), random);
        int duration = random.nextInt(ShapesWorld.MIN_DURATION_SECONDS, ShapesWorld.MAX_DURATION_SECONDS + 1);
        int frames = duration * FPS;
        int count = random.nextInt(ShapesWorld.MIN_OBJECTS, ShapesWorld.MAX_OBJECTS + 1);
        List<SceneObject> objects = new ArrayList<>(count);
        for (int pair : distinctPairs(count, random)) {
            ShapeKind shape = ShapeKind.values()[pair / ShapeColor.values().length];
            ShapeColor color = ShapeColor.values()[pair % ShapeColor.values().length];
            objects.add(place(shape, color, frames, objects, random));
        }
        return new Scene(background, duration, FPS, objects);
    }

    /** {@code count} different indices into the shape x colour grid: a partial Fisher-Yates shuffle. */
    private static int[] distinctPairs(int count, SplittableRandom random) {
        int[] pairs = new int[ShapeKind.values().length * ShapeColor.values().length];
        for (int i = 0; i < pairs.length; i++) {
            pairs[i] = i;
        }
        for (int i = 0; i < count; i++) {
            int j = random.nextInt(i, pairs.length);
            int t = pairs[i];
            pairs[i] = pairs[j];
            pairs[j] = t;
        }
        int[] chosen = new int[count];
        System.arraycopy(pairs, 0, chosen, 0, count);
        return chosen;
    }

    private static SceneObject place(ShapeKind shape, ShapeColor color, int frames, List<SceneObject> placed,
            SplittableRandom random) {
        for (int attempt = 0; attempt < MAX_PLACEMENT_TRIES; attempt++) {
            int size = random.nextInt(ShapesWorld.MIN_SIZE, ShapesWorld.MAX_SIZE + 1);
            Direction direction = pick(Direction.values(), random);
            SceneObject candidate = path(shape, color, size, direction, frames, random);
            if (placed.stream().allMatch(o -> overlapsBriefly(o, candidate, frames))) {
                return candidate;
            }
        }
        throw new IllegalStateException("no room for a " + color.word() + " " + shape.word() + " beside " + placed);
    }

    private static SceneObject path(ShapeKind shape, ShapeColor color, int size, Direction direction, int frames,
            SplittableRandom random) {
        if (direction == Direction.STILL) {
            return new SceneObject(shape, color, size, random.nextInt(0, WIDTH - size + 1),
                    random.nextInt(0, HEIGHT - size + 1), direction, 0);
        }
        int along = direction.isHorizontal() ? WIDTH : HEIGHT;
        int across = direction.isHorizontal() ? HEIGHT : WIDTH;
        int room = along - size;
        int travel = random.nextInt((along + 1) / 2, room + 1);
        boolean forward = direction.dx() + direction.dy() > 0;
        int start = forward ? random.nextInt(0, room - travel + 1) : random.nextInt(travel, room + 1);
        int side = random.nextInt(0, across - size + 1);
        double speed = travel / (double) (frames - 1);
        return direction.isHorizontal()
                ? new SceneObject(shape, color, size, start, side, direction, speed)
                : new SceneObject(shape, color, size, side, start, direction, speed);
    }

    private static boolean overlapsBriefly(SceneObject a, SceneObject b, int frames) {
        if (a.boxAt(0).intersects(b.boxAt(0))) {
            return false;
        }
        int overlapping = 0;
        for (int k = 1; k < frames; k++) {
            if (a.boxAt(k).intersects(b.boxAt(k))) {
                overlapping++;
            }
        }
        return overlapping * MAX_OVERLAP_FRAMES_DIVISOR <= frames;
    }

    private static <T> T pick(T[] values, SplittableRandom random) {
        return values[random.nextInt(values.length)];
    }
}

package io.streamvl.shapes;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One shapes-world video before rendering. Objects are listed in generation order, which is also
 * the drawing order (later objects cover earlier ones where they overlap) and the caption order.
 * No two objects share both shape and colour, so "the {color} {shape}" always names one object.
 */
public record Scene(Background background, int durationSeconds, int fps, List<SceneObject> objects) {
    public Scene {
        Objects.requireNonNull(background, "background");
        objects = List.copyOf(objects);
        if (durationSeconds <= 0 || fps <= 0 || objects.isEmpty() || objects.size() > ShapesWorld.MAX_OBJECTS) {
            throw new IllegalArgumentException("invalid scene: " + durationSeconds + " s at " + fps + " fps with "
                    + objects.size() + " objects");
        }
        Set<String> names = new HashSet<>();
        for (SceneObject o : objects) {
            if (!names.add(o.name())) {
                throw new IllegalArgumentException("two objects are both a " + o.name());
            }
        }
    }

    public int frameCount() {
        return durationSeconds * fps;
    }

    public long countShape(ShapeKind shape) {
        return objects.stream().filter(o -> o.shape() == shape).count();
    }

    public long countColor(ShapeColor color) {
        return objects.stream().filter(o -> o.color() == color).count();
    }

    public boolean contains(ShapeColor color, ShapeKind shape) {
        return objects.stream().anyMatch(o -> o.color() == color && o.shape() == shape);
    }
}

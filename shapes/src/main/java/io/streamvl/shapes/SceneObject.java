package io.streamvl.shapes;

import java.util.Objects;

/**
 * One object of a scene. In frame {@code k} its box's top-left corner is
 * {@code (x + dx * round(speed * k), y + dy * round(speed * k))}, where (dx, dy) is the
 * direction's unit step: the motion is constant in speed, and rounding the distance rather than
 * the coordinate makes left and right (or up and down) mirror images of each other.
 *
 * @param size side of the object's box in pixels (the square's side, circle's diameter, triangle's base and height)
 * @param x left edge of the box in frame 0
 * @param y top edge of the box in frame 0
 * @param speed pixels per frame along the direction; 0 exactly when the direction is STILL
 */
public record SceneObject(ShapeKind shape, ShapeColor color, int size, int x, int y, Direction direction,
        double speed) {
    public SceneObject {
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(color, "color");
        Objects.requireNonNull(direction, "direction");
        if (size <= 0 || !(speed >= 0) || (speed == 0) != (direction == Direction.STILL)) {
            throw new IllegalArgumentException("invalid object: size=" + size + " direction=" + direction
                    + " speed=" + speed);
        }
    }

    /** Pixels moved from frame 0 to frame {@code frame}. */
    public int distanceAt(int frame) {
        return (int) Math.round(speed * frame);
    }

    public Box boxAt(int frame) {
        int d = distanceAt(frame);
        return new Box(x + direction.dx() * d, y + direction.dy() * d, size);
    }

    /** "red square": how questions and captions name the object (unique within a scene). */
    public String name() {
        return color.word() + " " + shape.word();
    }
}

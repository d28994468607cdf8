package io.streamvl.shapes;

/**
 * The square an object is drawn in: pixels {@code left .. left+size-1} by {@code top .. top+size-1}.
 * A square fills it, a circle is inscribed in it, a triangle spans its full width and height.
 */
public record Box(int left, int top, int size) {
    public Box {
        if (size <= 0) {
            throw new IllegalArgumentException("size must be positive: " + size);
        }
    }

    /** One past the last column. */
    public int right() {
        return left + size;
    }

    /** One past the last row. */
    public int bottom() {
        return top + size;
    }

    /** Whether the two boxes share at least one pixel. */
    public boolean intersects(Box other) {
        return left < other.right() && other.left < right() && top < other.bottom() && other.top < bottom();
    }

    /** Whether every pixel of the box lies in a {@code width} x {@code height} frame. */
    public boolean isInside(int width, int height) {
        return left >= 0 && top >= 0 && right() <= width && bottom() <= height;
    }
}

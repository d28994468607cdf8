package io.streamvl.shapes;

/**
 * How an object moves over the whole video. Image coordinates: x grows to the right, y grows
 * downwards, so {@link #UP} is negative y.
 */
public enum Direction {
    LEFT("left", -1, 0),
    RIGHT("right", 1, 0),
    UP("up", 0, -1),
    DOWN("down", 0, 1),
    STILL("it does not move", 0, 0);

    private final String answer;
    private final int dx;
    private final int dy;

    Direction(String answer, int dx, int dy) {
        this.answer = answer;
        this.dx = dx;
        this.dy = dy;
    }

    /** The expected answer to "Which way does the ... move?". */
    public String answer() {
        return answer;
    }

    /** The verb phrase of a caption clause: "moves left" ... or "stays still". */
    public String captionPhrase() {
        return this == STILL ? "stays still" : "moves " + answer;
    }

    /** Unit step along x: -1, 0 or 1. */
    public int dx() {
        return dx;
    }

    /** Unit step along y: -1, 0 or 1 (down is positive). */
    public int dy() {
        return dy;
    }

    public boolean isHorizontal() {
        return dx != 0;
    }
}

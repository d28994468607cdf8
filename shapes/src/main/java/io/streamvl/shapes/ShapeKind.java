package io.streamvl.shapes;

import java.util.Locale;

/** The three shapes of the shapes world; {@link #word()} is how questions, answers and captions name them. */
public enum ShapeKind {
    SQUARE,
    CIRCLE,
    TRIANGLE;

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}

package io.streamvl.shapes;

import java.util.Locale;

/** The solid background of a scene; gray is the 50% sRGB value. */
public enum Background {
    BLACK(0, 0, 0),
    WHITE(255, 255, 255),
    GRAY(128, 128, 128);

    private final int red;
    private final int green;
    private final int blue;

    Background(int red, int green, int blue) {
        this.red = red;
        this.green = green;
        this.blue = blue;
    }

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    public Rgb rgb() {
        return new Rgb(red, green, blue);
    }
}

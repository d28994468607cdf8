package io.streamvl.shapes;

import java.util.Locale;

/**
 * The four object colours, as saturated primaries so that they survive H.264's chroma
 * subsampling and stay unambiguous against every background.
 */
public enum ShapeColor {
    RED(255, 0, 0),
    GREEN(0, 255, 0),
    BLUE(0, 0, 255),
    YELLOW(255, 255, 0);

    private final int red;
    private final int green;
    private final int blue;

    ShapeColor(int red, int green, int blue) {
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

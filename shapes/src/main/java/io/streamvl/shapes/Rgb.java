package io.streamvl.shapes;

/** An 8-bit sRGB colour. */
public record Rgb(int red, int green, int blue) {
    public Rgb {
        if ((red | green | blue) >>> 8 != 0) {
            throw new IllegalArgumentException("channels must be 0..255: " + red + "," + green + "," + blue);
        }
    }

    /** The pixel at ({@code x}, {@code y}) of row-major packed RGB24 {@code rgb} that is {@code width} pixels wide. */
    public static Rgb at(byte[] rgb, int width, int x, int y) {
        int i = (y * width + x) * 3;
        return new Rgb(rgb[i] & 0xFF, rgb[i + 1] & 0xFF, rgb[i + 2] & 0xFF);
    }

    /** The largest per-channel absolute difference: how far a decoded pixel strayed from the drawn one. */
    public int maxChannelDistance(Rgb other) {
        return Math.max(Math.abs(red - other.red), Math.max(Math.abs(green - other.green), Math.abs(blue - other.blue)));
    }
}

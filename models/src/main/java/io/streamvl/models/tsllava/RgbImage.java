package io.streamvl.models.tsllava;

import java.util.Arrays;

/**
 * An RGB image as float samples, row-major with interleaved channels ({@code [height][width][3]}), in
 * whatever scale its source used (0..255 for decoded frames).
 */
public final class RgbImage {

    public static final int CHANNELS = 3;

    private final int height;
    private final int width;
    private final float[] samples;

    private RgbImage(int height, int width, float[] samples) {
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("image sides must be positive, got " + height + "x" + width);
        }
        if (samples.length != (long) height * width * CHANNELS) {
            throw new IllegalArgumentException("a " + height + "x" + width + " RGB image has "
                    + (long) height * width * CHANNELS + " samples, got " + samples.length);
        }
        this.height = height;
        this.width = width;
        this.samples = samples;
    }

    /** Copies {@code hwc} samples. */
    public static RgbImage of(int height, int width, float[] hwc) {
        return new RgbImage(height, width, hwc.clone());
    }

    /** Unsigned bytes, as a decoder hands out frames, widened to 0..255. */
    public static RgbImage ofBytes(int height, int width, byte[] hwc) {
        float[] samples = new float[hwc.length];
        for (int i = 0; i < hwc.length; i++) {
            samples[i] = hwc[i] & 0xff;
        }
        return new RgbImage(height, width, samples);
    }

    /** Takes ownership of {@code hwc}: only for arrays nothing else holds. */
    static RgbImage wrap(int height, int width, float[] hwc) {
        return new RgbImage(height, width, hwc);
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    public float get(int y, int x, int channel) {
        return samples[(y * width + x) * CHANNELS + channel];
    }

    /** A copy of the samples, {@code [height][width][3]} row-major. */
    public float[] toArray() {
        return samples.clone();
    }

    /** The samples rounded half to even and clamped to 0..255, e.g. to store a thumbnail compactly. */
    public byte[] toBytes() {
        byte[] bytes = new byte[samples.length];
        for (int i = 0; i < samples.length; i++) {
            bytes[i] = (byte) (int) Math.max(0, Math.min(255, Math.rint(samples[i])));
        }
        return bytes;
    }

    float[] samples() {
        return samples;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RgbImage other && height == other.height && width == other.width
                && Arrays.equals(samples, other.samples);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * height + width) + Arrays.hashCode(samples);
    }

    @Override
    public String toString() {
        return "RgbImage[" + height + "x" + width + "]";
    }
}

package io.streamvl.models.tsllava;

import java.util.List;

/**
 * CLIP's pixel normalisation, as LLaVA's image processor applies it to an image already at the tower's
 * resolution: samples 0..255 scaled by 1/255, then {@code (x - mean) / std} per channel.
 */
public final class ClipPixels {
    private static final float[] MEAN = {0.48145466f, 0.4578275f, 0.40821073f};
    private static final float[] STD = {0.26862954f, 0.26130258f, 0.27577711f};

    private ClipPixels() {}

    /**
     * The images as one NHWC tensor {@code [n, size, size, 3]} for the tower.
     *
     * @throws IllegalArgumentException when an image is not {@code size x size}
     */
    public static float[] normalise(List<RgbImage> images, int size) {
        int per = size * size * RgbImage.CHANNELS;
        float[] out = new float[Math.multiplyExact(images.size(), per)];
        for (int i = 0; i < images.size(); i++) {
            RgbImage image = images.get(i);
            if (image.height() != size || image.width() != size) {
                throw new IllegalArgumentException("image " + i + " is " + image.height() + "x" + image.width()
                        + "; the vision tower takes " + size + "x" + size + " (resize frames to model resolution first)");
            }
            float[] s = image.samples();
            for (int j = 0; j < per; j++) {
                int c = j % RgbImage.CHANNELS;
                out[i * per + j] = (s[j] / 255f - MEAN[c]) / STD[c];
            }
        }
        return out;
    }
}

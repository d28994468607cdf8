package io.streamvl.ingest;

import java.io.Serializable;
import java.util.Arrays;

/** The vision model's input: size, resize mode, per-channel normalisation, and JPEG quality for stored frames. */
public final class ModelInputSpec implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int width;
    private final int height;
    private final ResizeMode resizeMode;
    private final float[] mean;
    private final float[] std;
    private final int jpegQuality;

    private ModelInputSpec(int width, int height, ResizeMode resizeMode, float[] mean, float[] std, int jpegQuality) {
        if (width <= 0 || height <= 0 || resizeMode == null || mean.length != 3 || std.length != 3
                || jpegQuality < 1 || jpegQuality > 100) {
            throw new IllegalArgumentException("invalid model input spec " + width + "x" + height + " " + resizeMode
                    + " mean=" + Arrays.toString(mean) + " std=" + Arrays.toString(std) + " q=" + jpegQuality);
        }
        for (float s : std) {
            if (!(s > 0)) {
                throw new IllegalArgumentException("std must be positive: " + Arrays.toString(std));
            }
        }
        this.width = width;
        this.height = height;
        this.resizeMode = resizeMode;
        this.mean = mean.clone();
        this.std = std.clone();
        this.jpegQuality = jpegQuality;
    }

    /** 336x336, bicubic squash, OpenAI CLIP mean/std, JPEG quality 90. */
    public static ModelInputSpec clipDefaults() {
        return new ModelInputSpec(336, 336, ResizeMode.SQUASH,
                new float[] {0.48145466f, 0.4578275f, 0.40821073f},
                new float[] {0.26862954f, 0.26130258f, 0.27577711f}, 90);
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public ResizeMode resizeMode() {
        return resizeMode;
    }

    public float[] mean() {
        return mean.clone();
    }

    public float[] std() {
        return std.clone();
    }

    public int jpegQuality() {
        return jpegQuality;
    }

    /** Floats per frame in the HWC tensor. */
    public int tensorLength() {
        return width * height * 3;
    }

    public ModelInputSpec withSize(int w, int h) {
        return new ModelInputSpec(w, h, resizeMode, mean, std, jpegQuality);
    }

    public ModelInputSpec withResizeMode(ResizeMode m) {
        return new ModelInputSpec(width, height, m, mean, std, jpegQuality);
    }

    public ModelInputSpec withNormalization(float[] m, float[] s) {
        return new ModelInputSpec(width, height, resizeMode, m, s, jpegQuality);
    }

    public ModelInputSpec withJpegQuality(int q) {
        return new ModelInputSpec(width, height, resizeMode, mean, std, q);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelInputSpec s && width == s.width && height == s.height && resizeMode == s.resizeMode
                && Arrays.equals(mean, s.mean) && Arrays.equals(std, s.std) && jpegQuality == s.jpegQuality;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * width + height) + resizeMode.hashCode();
    }

    @Override
    public String toString() {
        return "ModelInputSpec{" + width + "x" + height + " " + resizeMode + " mean=" + Arrays.toString(mean)
                + " std=" + Arrays.toString(std) + " jpegQuality=" + jpegQuality + "}";
    }
}

package io.streamvl.models.tiny;

import io.streamvl.models.text.WordLevelTokenizerWriter;
import io.streamvl.models.tsllava.RgbImage;
import io.streamvl.models.vision.ClipVisionConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Tokenizers, frames and options shared by the tiny vision-language model tests. */
public final class TinyVlmFixtures {
    public static final List<String> WORDS = List.of("a", "red", "blue", "green", "circle", "square", "moves", "left",
            "right", "up", "down", "what", "is", "in", "the", "video", "?", "describe", "scene", ".", "there", "and");

    private TinyVlmFixtures() {}

    public static Path tokenizer(Path dir) {
        return WordLevelTokenizerWriter.write(dir, WORDS);
    }

    /** {@code n} normalised-looking NHWC images in about [-2, 2]. */
    public static float[] images(ClipVisionConfig config, int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] v = new float[n * config.imageFloats()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) random.nextDouble(-2, 2);
        }
        return v;
    }

    /** {@code n} random RGB frames of {@code size x size}, samples 0..255. */
    public static List<RgbImage> frames(int n, int size, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<RgbImage> out = new ArrayList<>();
        for (int f = 0; f < n; f++) {
            byte[] hwc = new byte[size * size * RgbImage.CHANNELS];
            for (int i = 0; i < hwc.length; i++) {
                hwc[i] = (byte) random.nextInt(256);
            }
            out.add(RgbImage.ofBytes(size, size, hwc));
        }
        return out;
    }
}

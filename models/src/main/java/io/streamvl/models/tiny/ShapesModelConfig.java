package io.streamvl.models.tiny;

import io.streamvl.models.llavamini.LlavaMiniSettings;
import io.streamvl.models.vision.ClipVisionConfig;
import java.nio.file.Path;

/**
 * The untrained {@code llava-mini} that the shapes world trains into the demo model; everything not given here is
 * {@link TinyLlavaMini}'s. Sized to what the world asks for: at 48 pixels the smallest object (30 of 320 pixels)
 * is still 4-5 pixels across, enough to tell a triangle from a square, where the 24-pixel {@link TinyBundles#vision()}
 * leaves 2; a 6x6 grid of 8-pixel patches keeps the tower cheap on a CPU. C = 2 gives the LLM four tokens per
 * frame, so up to three objects' positions survive compression, and direction is read from how those tokens change
 * along the frame sequence. Widths of 64 (twice the test bundles') leave room for 4 colours x 3 shapes x 5 motions
 * per object while a training step stays in the tens of milliseconds per sample on a CPU.
 */
public final class ShapesModelConfig {
    public static final LlavaMiniSettings SETTINGS = new LlavaMiniSettings(2, 2, 4, 1);

    private ShapesModelConfig() {}

    /** Image 48, patch 8 (36 patches), hidden 64, MLP 128, 2 layers, 4 heads. */
    public static ClipVisionConfig vision() {
        return new ClipVisionConfig(64, 128, 2, 4, 48, 8, 1e-5, ClipVisionConfig.QUICK_GELU);
    }

    /**
     * Writes the seeded random bundle: this vision tower, an LLM of hidden 64, MLP 128, 2 layers, GQA 4/2 heads over
     * the tokenizer's vocabulary, and {@link #SETTINGS}.
     */
    public static Path write(Path dir, long seed, Path tokenizerJson) {
        return TinyLlavaMini.write(dir, seed, tokenizerJson, SETTINGS, vision(),
                TinyBundles.llm(tokenizerJson, 64, 128, 2, 4, 2));
    }
}

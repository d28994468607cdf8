package io.streamvl.models.tiny;

import io.streamvl.models.llavamini.LlavaMiniSettings;
import io.streamvl.models.tsllava.TsLlavaConfig;
import io.streamvl.models.vision.ClipVisionConfig;
import java.nio.file.Path;

/**
 * The untrained {@code llava-mini} that the shapes world trains into the demo model; everything not given here is
 * {@link TinyLlavaMini}'s. At 96 pixels the smallest object (30 of 320 pixels) is 9 pixels across, where 48 left
 * 4-5 and the stored JPEG's half-resolution chroma blurred a yellow shape on white into a blob; 16-pixel patches keep
 * the grid at 6x6, so the tower and pre-fusion see 36 tokens per frame either way, and a third tower layer (two used,
 * the select layer being -2) lets a patch gather the parts of an object that straddles its neighbours; what makes the
 * tower see shape is pre-training it alone (docs/models.md). C = 3 gives the LLM nine tokens per frame, one per
 * third of the frame each way, so an object (a patch or two across) is mostly alone in its token and the LLM finds it
 * by what it is, then reads its place; direction is read from how those tokens change along the frame sequence. With
 * C = 2 (four tokens, often two objects in one) the recipe cut short at 12000 steps answered 57 % of the questions
 * where C = 3 answers 68 %. Four pre-fusion layers, as in the paper: a question that names an
 * object ("Is there a green triangle?") must first gather its words and then look the object up among the patches,
 * and with two layers the answers to such questions stayed at chance where four learn them. Four LLM layers rather
 * than two: the LLM finds the named object among each frame's compressed tokens and compares it across frames, and
 * with two it answered 77 % of the questions (direction 40 %) where four answer 84 % (direction 46 %); eight
 * answered no more (85 %, direction 51-54 % in two full runs) and did worse in TS-LLaVA mode (44-49 % against 58 %).
 * Widths of 64 leave room for 4 colours x 3 shapes x 5 motions per object while a training step stays in the tens of
 * milliseconds per sample on a CPU.
 */
public final class ShapesModelConfig {
    public static final LlavaMiniSettings SETTINGS = new LlavaMiniSettings(3, 4, 4, 1);
    /** The demo model's LLM query heads. */
    public static final int LLM_HEADS = 4;
    private static final int LLM_WIDTH = 64;

    private ShapesModelConfig() {}

    /** Image 96, patch 16 (36 patches), hidden 64, MLP 128, 3 layers, 4 heads. */
    public static ClipVisionConfig vision() {
        return new ClipVisionConfig(64, 128, 3, 4, 96, 16, 1e-5, ClipVisionConfig.QUICK_GELU);
    }

    /**
     * TS-LLaVA over the bundle's image path: the paper's V2 setting ({@link TsLlavaConfig#DEFAULT}) scaled to this
     * tower. T = 50 frames as in the paper: a 4-8 s video at 10 fps has 40-80, so a long one gives 50 evenly spaced
     * frames and a short one 40 slots over its 40 frames (the reference's segment middles then repeat one frame and
     * skip the last). A 6-frame thumbnail (3x2 cells). Sampled tokens the same share as the paper's: 2880 of
     * 50 x 576 is 5 frames' worth, so 5 x 36 = 180 here, and with the thumbnail the LLM sees 6 frames' worth of
     * visual tokens (216, where the paper fits 3456 into a 4096 context), far inside the LLM's 512 positions.
     */
    public static TsLlavaConfig tsLlava() {
        ClipVisionConfig v = vision();
        TsLlavaConfig paper = TsLlavaConfig.DEFAULT;
        int sampledFrames = paper.sampledTokens() / paper.tokensPerFrame();
        return new TsLlavaConfig(paper.frames(), paper.thumbnailFrames(), sampledFrames * v.numPatches(),
                v.numPatches(), v.imageSize(), v.imageSize());
    }

    /**
     * Writes the seeded random bundle: this vision tower, an LLM of hidden 64, MLP 128, 4 layers, GQA
     * {@value #LLM_HEADS}/2 heads over the tokenizer's vocabulary, {@link #SETTINGS}, and {@link #tsLlava()} in the
     * manifest.
     */
    public static Path write(Path dir, long seed, Path tokenizerJson) {
        return write(dir, seed, tokenizerJson, LLM_HEADS);
    }

    /** @throws IllegalArgumentException unless {@code heads} is an even divisor of 64, a count {@link #write} takes */
    public static void checkLlmHeads(int heads) {
        if (heads < 2 || heads % 2 != 0 || LLM_WIDTH % heads != 0) {
            throw new IllegalArgumentException("LLM heads must be an even divisor of " + LLM_WIDTH + ", got " + heads);
        }
    }

    /**
     * The same with {@code heads} query heads of {@code 64 / heads} dimensions and half as many key-value heads: as
     * many weights and as much arithmetic for any count, only split into more, narrower lookups (docs/models.md).
     *
     * @throws IllegalArgumentException unless {@code heads} is an even divisor of 64
     */
    public static Path write(Path dir, long seed, Path tokenizerJson, int heads) {
        checkLlmHeads(heads);
        return TinyLlavaMini.write(dir, seed, tokenizerJson, SETTINGS, vision(),
                TinyBundles.llm(tokenizerJson, LLM_WIDTH, 128, 4, heads, heads / 2), tsLlava());
    }
}

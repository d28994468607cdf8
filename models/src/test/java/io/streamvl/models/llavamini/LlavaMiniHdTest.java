package io.streamvl.models.llavamini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.streamvl.models.LanguageModel.Answer;
import io.streamvl.models.llama.DecoderOptions;
import io.streamvl.models.llama.GenerationConfig;
import io.streamvl.models.tiny.TinyLlavaMini;
import io.streamvl.models.tiny.TinyVlmFixtures;
import io.streamvl.models.vision.VisionOptions;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LLaVA-Mini-HD (resolution ratio 2): a frame twice the tower's size is seen as 2×2 crops stitched into one
 * patch map plus the whole frame scaled down. Checked against the standard-resolution model on the same
 * weights, fed the crops and the scaled-down frame one by one.
 */
class LlavaMiniHdTest {
    private static final VisionOptions VISION = VisionOptions.defaults().withThreads(2, 1).withMaxBatch(8);
    private static final DecoderOptions DECODER = DecoderOptions.defaults().withThreads(2, 1).withMaxCacheLength(256);
    private static final int R = 2;

    @TempDir
    static Path dir;
    private static LlavaMiniModel hd;
    private static LlavaMiniModel standard;

    @BeforeAll
    static void open() {
        Path tokenizer = TinyVlmFixtures.tokenizer(dir.resolve("tok"));
        hd = LlavaMiniModel.open(TinyLlavaMini.write(dir.resolve("hd"), 7, tokenizer,
                TinyLlavaMini.SETTINGS.withResolutionRatio(R)), VISION, DECODER);
        standard = LlavaMiniModel.open(TinyLlavaMini.write(dir.resolve("std"), 7, tokenizer), VISION, DECODER);
    }

    @AfterAll
    static void close() {
        hd.close();
        standard.close();
    }

    private static float[] frame(int side, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] f = new float[side * side * 3];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) (random.nextDouble() * 4 - 2);
        }
        return f;
    }

    @Test
    void splitCutsRowMajorCropsAndANearestGlobalView() {
        int size = 2;
        float[] big = new float[4 * 4 * 3];
        for (int i = 0; i < big.length; i++) {
            big[i] = i;
        }
        float[] views = HdViews.split(big, 1, R, size);
        int pixel = 3;
        // crop 1 (top right) starts at big pixel (0, 2); crop 2 (bottom left) at (2, 0)
        assertThat(views[1 * size * size * 3]).isEqualTo(big[(0 * 4 + 2) * pixel]);
        assertThat(views[2 * size * size * 3]).isEqualTo(big[(2 * 4 + 0) * pixel]);
        // global view pixel (1, 1) is big pixel (2, 2)
        assertThat(views[4 * size * size * 3 + (1 * size + 1) * pixel]).isEqualTo(big[(2 * 4 + 2) * pixel]);
    }

    @Test
    void imageTokensAreTheStitchedCropsThenTheGlobalView() {
        int size = hd.visionConfig().imageSize();
        assertThat(hd.inputSize()).isEqualTo(R * size);
        float[] big = frame(R * size, 3);
        EncodedFrame encoded = hd.encode(big, 1).get(0);
        int patches = hd.visionConfig().numPatches();
        int g = (int) Math.round(Math.sqrt(patches));
        assertThat(encoded.image()).hasNumberOfRows(R * R * patches + patches);
        assertThat(encoded.fused()).hasNumberOfRows(hd.tokensPerFrame());

        float[] views = HdViews.split(big, 1, R, size);
        int viewFloats = size * size * 3;
        for (int crop = 0; crop < R * R; crop++) {
            float[][] alone = standard.encode(Arrays.copyOfRange(views, crop * viewFloats,
                    (crop + 1) * viewFloats), 1).get(0).image();
            for (int p = 0; p < patches; p++) {
                int row = (crop / R) * g + p / g;
                int col = (crop % R) * g + p % g;
                assertClose(alone[p], encoded.image()[row * g * R + col]);
            }
        }
        float[][] global = standard.encode(Arrays.copyOfRange(views, R * R * viewFloats,
                (R * R + 1) * viewFloats), 1).get(0).image();
        for (int p = 0; p < patches; p++) {
            assertClose(global[p], encoded.image()[R * R * patches + p]);
        }
    }

    @Test
    void hdFramesAnswerDeterministicallyAndZPrimeStaysPromptIndependent() {
        int side = hd.inputSize();
        float[] frames = new float[2 * side * side * 3];
        System.arraycopy(frame(side, 5), 0, frames, 0, side * side * 3);
        System.arraycopy(frame(side, 6), 0, frames, side * side * 3, side * side * 3);
        List<EncodedFrame> encoded = hd.encode(frames, 2);
        Answer a = hd.answer(encoded, "what is in the video ?", GenerationConfig.greedy(6));
        Answer b = hd.answer(hd.encode(frames, 2), "what is in the video ?", GenerationConfig.greedy(6));
        assertThat(a.tokenIds()).isNotEmpty().containsExactly(b.tokenIds());
        assertThat(a.promptTokens()).isEqualTo(hd.language().visualPrompt("what is in the video ?").length() - 1 + 2);

        IncrementalCaption.State state = null;
        for (EncodedFrame f : encoded) {
            state = IncrementalCaption.State.plus(state, f,
                    hd.fusedTexts(f, List.of("what is in the video ?")).get(0));
        }
        float[][] input = hd.incrementalCaption("what is in the video ?", state).input();
        assertThat(hd.language().generate(input, GenerationConfig.greedy(6), null).tokenIds())
                .containsExactly(a.tokenIds());
    }

    @Test
    void framesOfTheWrongSizeAreRefused() {
        assertThatThrownBy(() -> hd.encode(new float[24 * 24 * 3], 1)).hasMessageContaining("resolution ratio 2");
    }

    private static void assertClose(float[] expected, float[] actual) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            assertThat((double) actual[i]).isCloseTo(expected[i], within(1e-5));
        }
    }
}

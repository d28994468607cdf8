package io.streamvl.models.tsllava;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamvl.models.LanguageModel.Answer;
import io.streamvl.models.bundle.Architecture;
import io.streamvl.models.llama.DecoderOptions;
import io.streamvl.models.llama.GenerationConfig;
import io.streamvl.models.llavamini.LlavaMiniModel;
import io.streamvl.models.tiny.ShapesModelConfig;
import io.streamvl.models.tiny.TinyLlavaMini;
import io.streamvl.models.tiny.TinyVlmFixtures;
import io.streamvl.models.vision.VisionOptions;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TS-LLaVA over a {@code llava-mini} bundle's plain image path: its tower and projector, straight into its LLM. */
class TsLlavaOverLlavaMiniTest {
    private static final VisionOptions VISION = VisionOptions.defaults().withThreads(2, 1).withMaxBatch(3);
    private static final DecoderOptions DECODER = DecoderOptions.defaults().withThreads(2, 1).withMaxCacheLength(256);
    private static final String QUESTION = "what is in the video ?";
    private static final int SIZE = TinyLlavaMini.visionConfig().imageSize();

    @TempDir
    static Path dir;
    private static Path tokenizer;
    private static Path bundle;
    private static TsLlavaModel model;

    @BeforeAll
    static void open() {
        tokenizer = TinyVlmFixtures.tokenizer(dir.resolve("tok"));
        bundle = TinyLlavaMini.write(dir.resolve("mini"), 7, tokenizer);
        model = TsLlavaModel.open(bundle, VISION, DECODER);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void opensWithTheManifestsSettings() {
        assertThat(model.bundle().architecture()).isEqualTo(Architecture.LLAVA_MINI);
        assertThat(model.config()).isEqualTo(TinyLlavaMini.TS_LLAVA);
    }

    /** One frame's LLM input is LLaVA-1.5's: {@code text[:p] ++ projector(tower(frame)) ++ text[p+1:]}. */
    @Test
    void oneFrameGoesThroughLlava15sImagePath() {
        RgbImage frame = TinyVlmFixtures.frames(1, SIZE, 3).get(0);
        float[][] imageTokens = HandBuiltTsLlava.imageTokens(bundle, frame);
        float[][] visual = model.imageTokenRows(frame);
        HandBuiltTsLlava.assertRowsClose(visual, imageTokens);
        HandBuiltTsLlava.assertRowsClose(HandBuiltTsLlava.rows(model.imageTokens(frame), imageTokens[0].length),
                imageTokens);
        HandBuiltTsLlava.assertRowsClose(model.inputEmbeddings(visual, QUESTION),
                HandBuiltTsLlava.input(model, QUESTION, imageTokens));
    }

    /** LLaVA-Mini's own uncompressed image tokens G are the same tower and projector: the same numbers. */
    @Test
    void imageTokensAreLlavaMinisUncompressedTokens() {
        RgbImage frame = TinyVlmFixtures.frames(1, SIZE, 4).get(0);
        float[][] g;
        try (LlavaMiniModel mini = LlavaMiniModel.open(bundle, VISION, DECODER)) {
            g = mini.encode(ClipPixels.normalise(List.of(frame), SIZE), 1).get(0).image();
        }
        HandBuiltTsLlava.assertRowsClose(HandBuiltTsLlava.rows(model.imageTokens(frame), g[0].length), g);
    }

    @Test
    void inputIsSampledThenThumbnailTokens() {
        List<RgbImage> frames = TinyVlmFixtures.frames(13, SIZE, 5);
        float[][] visual = HandBuiltTsLlava.visualTokens(bundle, TinyLlavaMini.TS_LLAVA, frames);
        assertThat(visual).hasNumberOfRows(TinyLlavaMini.TS_LLAVA.visualTokens());
        HandBuiltTsLlava.assertRowsClose(model.inputEmbeddings(frames, QUESTION),
                HandBuiltTsLlava.input(model, QUESTION, visual));
    }

    @Test
    void answersFromPrecomputedVisualTokensAsFromFrames() {
        List<RgbImage> frames = TinyVlmFixtures.frames(9, SIZE, 6);
        GenerationConfig greedy = GenerationConfig.greedy(6);
        Answer fromFrames = model.answer(frames, QUESTION, greedy);
        Answer fromTokens = model.answer(model.visualTokens(frames), QUESTION, greedy);
        assertThat(fromTokens.tokenIds()).isNotEmpty().containsExactly(fromFrames.tokenIds());
        int textTokens = model.language().visualPrompt(QUESTION).length() - 1;
        assertThat(fromFrames.promptTokens()).isEqualTo(textTokens + TinyLlavaMini.TS_LLAVA.visualTokens());
    }

    /** The shapes bundle's manifest carries settings sized to its 36-patch tower. */
    @Test
    void shapesBundleCarriesItsTsLlavaSettings() {
        Path shapes = ShapesModelConfig.write(dir.resolve("shapes"), 5, tokenizer);
        TsLlavaConfig expected = ShapesModelConfig.tsLlava();
        int side = ShapesModelConfig.vision().imageSize();
        assertThat(expected).isEqualTo(new TsLlavaConfig(50, 6, 180, 36, side, side));
        try (TsLlavaModel shapesModel = TsLlavaModel.open(shapes, VISION, DECODER)) {
            assertThat(shapesModel.config()).isEqualTo(expected);
            // The shortest shapes video: 4 s at 10 fps.
            assertThat(shapesModel.visualTokens(TinyVlmFixtures.frames(40, side, 7)))
                    .hasNumberOfRows(expected.visualTokens());
        }
    }
}

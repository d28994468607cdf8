package io.streamvl.models.tsllava;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamvl.models.LanguageModel.Answer;
import io.streamvl.models.ModelFormatException;
import io.streamvl.models.bundle.ModelBundle;
import io.streamvl.models.llama.DecoderOptions;
import io.streamvl.models.llama.GenerationConfig;
import io.streamvl.models.text.PromptTokens;
import io.streamvl.models.tiny.TinyLlava;
import io.streamvl.models.tiny.TinyLlavaMini;
import io.streamvl.models.tiny.TinyVlmFixtures;
import io.streamvl.models.vision.ClipVisionConfig;
import io.streamvl.models.vision.ClipVisionTower;
import io.streamvl.models.vision.Projector;
import io.streamvl.models.vision.VisionOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TsLlavaModelTest {
    private static final VisionOptions VISION = VisionOptions.defaults().withThreads(2, 1).withMaxBatch(3);
    private static final DecoderOptions DECODER = DecoderOptions.defaults().withThreads(2, 1).withMaxCacheLength(256);
    private static final GenerationConfig GREEDY = GenerationConfig.greedy(8);
    private static final String QUESTION = "describe the video .";
    private static final float[] MEAN = {0.48145466f, 0.4578275f, 0.40821073f};
    private static final float[] STD = {0.26862954f, 0.26130258f, 0.27577711f};

    @TempDir
    static Path dir;
    private static Path bundle;
    private static TsLlavaModel model;

    @BeforeAll
    static void open() {
        bundle = TinyLlava.write(dir.resolve("llava"), 11, TinyVlmFixtures.tokenizer(dir.resolve("tok")));
        model = TsLlavaModel.open(bundle, VISION, DECODER);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void configComesFromTheManifest() {
        assertThat(model.config()).isEqualTo(TinyLlava.TS_LLAVA);
        ClipVisionConfig vitL = ClipVisionConfig.vitL14x336();
        assertThat(TsLlavaManifest.read(null, vitL)).isEqualTo(TsLlavaConfig.DEFAULT);
        var tooMany = new ObjectMapper().createObjectNode();
        tooMany.putObject(TsLlavaManifest.KEY).put("sampledTokens", 1000);
        assertThatThrownBy(() -> TsLlavaManifest.read(tooMany, TinyLlava.visionConfig()))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("sampled tokens");
    }

    @Test
    void answersFromFramesDeterministicallyAcrossInstances() {
        List<RgbImage> frames = TinyVlmFixtures.frames(12, 24, 1);
        StringBuilder streamed = new StringBuilder();
        Answer first = model.answer(frames, QUESTION, GREEDY, (seq, text) -> streamed.append(text));
        Answer again = model.answer(frames, QUESTION, GREEDY);
        assertThat(first.tokenIds()).isNotEmpty().containsExactly(again.tokenIds());
        assertThat(first.text()).isEqualTo(again.text()).isEqualTo(streamed.toString());
        int prompt = model.language().visualPrompt(QUESTION).length();
        assertThat(first.promptTokens()).isEqualTo(prompt - 1 + 40);
        try (TsLlavaModel other = TsLlavaModel.open(bundle, VISION, DECODER)) {
            assertThat(other.answer(frames, QUESTION, GREEDY).tokenIds()).containsExactly(first.tokenIds());
        }
    }

    /** The model's input equals the assembler's over tower outputs computed here, frame by frame. */
    @Test
    void inputEmbeddingsAreTheAssemblersOverHandComputedTowerOutputs() {
        List<RgbImage> frames = TinyVlmFixtures.frames(11, 24, 2);
        TsLlavaAssembler assembler = new TsLlavaAssembler(TinyLlava.TS_LLAVA);
        TsLlavaPlan plan = assembler.plan(frames.size());
        float[][] expected;
        try (ModelBundle b = ModelBundle.open(bundle);
                ClipVisionTower tower = ClipVisionTower.load(b, VisionOptions.defaults().withMaxBatch(1));
                Projector projector = Projector.load(b, VisionOptions.defaults())) {
            int patches = tower.config().numPatches();
            List<float[]> slotTokens = new ArrayList<>();
            for (int frame : plan.frames()) {
                slotTokens.add(projector.project(tower.features(normalise(frames.get(frame)), 1), patches));
            }
            List<RgbImage> picked = new ArrayList<>();
            for (int frame : plan.thumbnailFrames()) {
                picked.add(frames.get(frame));
            }
            RgbImage thumbnail = assembler.thumbnail().compose(picked);
            float[] thumbnailTokens = projector.project(tower.features(normalise(thumbnail), 1), patches);
            float[][] visual = assembler.visualTokens(plan, slotTokens, thumbnailTokens);
            PromptTokens prompt = model.language().visualPrompt(QUESTION);
            expected = TsLlavaAssembler.inputEmbeddings(prompt, visual, model.language().decoder()::embedFlat);
        }
        float[][] actual = model.inputEmbeddings(frames, QUESTION);
        assertThat(actual).hasNumberOfRows(expected.length);
        for (int i = 0; i < expected.length; i++) {
            for (int j = 0; j < expected[i].length; j++) {
                assertThat(actual[i][j]).as("row %d col %d", i, j).isCloseTo(expected[i][j], within(1e-5f));
            }
        }
    }

    @Test
    void tooFewFramesAreRefused() {
        assertThatThrownBy(() -> model.answer(TinyVlmFixtures.frames(5, 24, 3), QUESTION, GREEDY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 6 frames");
        assertThatThrownBy(() -> model.answer(TinyVlmFixtures.frames(8, 12, 3), QUESTION, GREEDY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("24x24");
    }

    @Test
    void rejectsABundleOfAnotherArchitecture() {
        Path mini = TinyLlavaMini.write(dir.resolve("mini"), 11, dir.resolve("tok/tokenizer.json"));
        assertThatThrownBy(() -> TsLlavaModel.open(mini, VISION, DECODER)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("holds a llava-mini model");
    }

    private static float[] normalise(RgbImage image) {
        float[] out = image.toArray();
        for (int i = 0; i < out.length; i++) {
            int c = i % 3;
            out[i] = (out[i] / 255f - MEAN[c]) / STD[c];
        }
        return out;
    }
}

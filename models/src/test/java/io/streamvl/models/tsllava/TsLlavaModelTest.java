package io.streamvl.models.tsllava;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamvl.models.LanguageModel.Answer;
import io.streamvl.models.ModelFormatException;
import io.streamvl.models.llama.DecoderOptions;
import io.streamvl.models.llama.GenerationConfig;
import io.streamvl.models.tiny.TinyLlama;
import io.streamvl.models.tiny.TinyLlava;
import io.streamvl.models.tiny.TinyVlmFixtures;
import io.streamvl.models.vision.ClipVisionConfig;
import io.streamvl.models.vision.VisionOptions;
import io.streamvl.models.weights.DType;
import java.nio.file.Path;
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
        var thumbnailOnly = new ObjectMapper().createObjectNode();
        thumbnailOnly.putObject(TsLlavaManifest.KEY).put("sampledTokens", 0);
        assertThat(TsLlavaManifest.read(thumbnailOnly, vitL).visualTokens()).isEqualTo(576);
        var noThumbnail = new ObjectMapper().createObjectNode();
        noThumbnail.putObject(TsLlavaManifest.KEY).put("thumbnailFrames", 0);
        assertThatThrownBy(() -> TsLlavaManifest.read(noThumbnail, vitL))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("thumbnailFrames\" must be an integer of at least 1");
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

    /** The model's input equals TS-LLaVA's layout over tower outputs computed here, frame by frame. */
    @Test
    void inputEmbeddingsAreSampledThenThumbnailTokensOverHandComputedTowerOutputs() {
        List<RgbImage> frames = TinyVlmFixtures.frames(11, 24, 2);
        float[][] expected = HandBuiltTsLlava.input(model, QUESTION,
                HandBuiltTsLlava.visualTokens(bundle, TinyLlava.TS_LLAVA, frames));
        HandBuiltTsLlava.assertRowsClose(model.inputEmbeddings(frames, QUESTION), expected);
    }

    @Test
    void tooFewFramesAreRefused() {
        assertThatThrownBy(() -> model.answer(TinyVlmFixtures.frames(5, 24, 3), QUESTION, GREEDY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 6 frames");
        assertThatThrownBy(() -> model.answer(TinyVlmFixtures.frames(8, 12, 3), QUESTION, GREEDY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("24x24");
    }

    @Test
    void rejectsATextOnlyBundle() {
        Path llama = TinyLlama.write(dir.resolve("llama"), TinyLlama.configs().get("gqa-untied"), 11, DType.F32);
        assertThatThrownBy(() -> TsLlavaModel.open(llama, VISION, DECODER)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("holds a llama model");
    }
}

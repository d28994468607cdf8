package io.streamvl.models.llavamini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamvl.models.LanguageModel.Answer;
import io.streamvl.models.ModelFormatException;
import io.streamvl.models.bundle.ModelBundle;
import io.streamvl.models.llama.DecoderOptions;
import io.streamvl.models.llama.GenerationConfig;
import io.streamvl.models.tiny.TinyLlava;
import io.streamvl.models.tiny.TinyLlavaMini;
import io.streamvl.models.tiny.TinyVlmFixtures;
import io.streamvl.models.vision.ClipVisionConfig;
import io.streamvl.models.vision.Projector;
import io.streamvl.models.inspect.VisionInspection;
import io.streamvl.models.vision.VisionOptions;
import io.streamvl.models.weights.Checkpoint;
import io.streamvl.models.weights.DType;
import io.streamvl.models.weights.InMemoryTensors;
import io.streamvl.models.weights.SafetensorsWriter;
import io.streamvl.models.weights.TensorSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LlavaMiniModelTest {
    private static final VisionOptions VISION = VisionOptions.defaults().withThreads(2, 1).withMaxBatch(4);
    private static final DecoderOptions DECODER = DecoderOptions.defaults().withThreads(2, 1).withMaxCacheLength(256);
    private static final GenerationConfig GREEDY = GenerationConfig.greedy(8);
    private static final String QUESTION = "what is in the video ?";
    private static final ClipVisionConfig VISION_CONFIG = TinyLlavaMini.visionConfig();

    @TempDir
    static Path dir;
    private static Path bundle;
    private static LlavaMiniModel model;

    @BeforeAll
    static void open() {
        bundle = TinyLlavaMini.write(dir.resolve("mini"), 7, TinyVlmFixtures.tokenizer(dir.resolve("tok")));
        model = LlavaMiniModel.open(bundle, VISION, DECODER);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void settingsComeFromTheBundle() {
        assertThat(model.settings()).isEqualTo(TinyLlavaMini.SETTINGS);
        assertThat(model.tokensPerFrame()).isEqualTo(1);
        assertThat(LlavaMiniSettings.fromHf(new ObjectMapper().createObjectNode())).isEqualTo(LlavaMiniSettings.DEFAULT);
        assertThat(LlavaMiniSettings.DEFAULT).isEqualTo(new LlavaMiniSettings(1, 4, 8, 1));
        ObjectNode hd = new ObjectMapper().createObjectNode().put(LlavaMiniSettings.RESOLUTION_RATIO, 2);
        assertThat(LlavaMiniSettings.fromHf(hd).resolutionRatio()).isEqualTo(2);
        ObjectNode bad = new ObjectMapper().createObjectNode().put(LlavaMiniSettings.RESOLUTION_RATIO, 0);
        assertThatThrownBy(() -> LlavaMiniSettings.fromHf(bad)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("resolution_ratio");
    }

    @Test
    void answersFromFramesDeterministicallyAcrossInstances() {
        List<EncodedFrame> frames = model.encode(TinyVlmFixtures.images(VISION_CONFIG, 3, 1), 3);
        StringBuilder streamed = new StringBuilder();
        Answer first = model.answer(frames, QUESTION, GREEDY, (seq, text) -> streamed.append(text));
        Answer again = model.answer(frames, QUESTION, GREEDY);
        assertThat(first.tokenIds()).isNotEmpty().containsExactly(again.tokenIds());
        assertThat(first.text()).isEqualTo(again.text()).isEqualTo(streamed.toString());
        assertThat(first.promptTokens()).isEqualTo(model.language().visualPrompt(QUESTION).length() - 1 + 3);
        try (LlavaMiniModel other = LlavaMiniModel.open(bundle, VISION, DECODER)) {
            List<EncodedFrame> reencoded = other.encode(TinyVlmFixtures.images(VISION_CONFIG, 3, 1), 3);
            assertThat(reencoded).isEqualTo(frames);
            assertThat(other.answer(reencoded, QUESTION, GREEDY).tokenIds()).containsExactly(first.tokenIds());
        }
    }

    @Test
    void differentFramesChangeTheInput() {
        List<EncodedFrame> a = model.encode(TinyVlmFixtures.images(VISION_CONFIG, 1, 1), 1);
        List<EncodedFrame> b = model.encode(TinyVlmFixtures.images(VISION_CONFIG, 1, 2), 1);
        assertThat(a.get(0).fused()[0]).isNotEqualTo(b.get(0).fused()[0]);
    }

    /** The running state of the frames, each fused with the prompt in a run of its own as it arrives. */
    private static IncrementalCaption.State streamed(IncrementalCaption.State before, List<EncodedFrame> frames) {
        IncrementalCaption.State state = before;
        for (EncodedFrame f : frames) {
            state = IncrementalCaption.State.plus(state, f, model.fusedTexts(f, List.of(QUESTION)).get(0));
        }
        return state;
    }

    private static Answer generate(float[][] input) {
        return model.language().generate(input, GREEDY, null);
    }

    @Test
    void incrementalCaptionEqualsBatchAnswer() {
        List<EncodedFrame> frames = model.encode(TinyVlmFixtures.images(VISION_CONFIG, 5, 3), 5);
        Answer batch = model.answer(frames, QUESTION, GREEDY);

        IncrementalCaption.State all = streamed(null, frames);
        assertThat(all.text().frames()).isEqualTo(5);
        assertThat(generate(model.incrementalCaption(QUESTION, all).input()).tokenIds())
                .containsExactly(batch.tokenIds());

        // checkpointed after two frames, restored, then the rest
        IncrementalCaption.State early = streamed(null, frames.subList(0, 2));
        Answer resumed = generate(model.incrementalCaption(QUESTION, streamed(early, frames.subList(2, 5))).input());
        assertThat(resumed.tokenIds()).containsExactly(batch.tokenIds());
        assertThat(resumed.text()).isEqualTo(batch.text());
    }

    @Test
    void incrementalInputIsTheBatchInputRestoredOrNot() {
        List<EncodedFrame> frames = model.encode(TinyVlmFixtures.images(VISION_CONFIG, 4, 5), 4);
        float[][] batch = model.input(frames, QUESTION);

        IncrementalCaption.State early = streamed(null, frames.subList(0, 1));
        float[][] restored = model.incrementalCaption(QUESTION, streamed(early, frames.subList(1, 4))).input();
        // pre-fusion of 1 + 3 frames against 4 at once: equal up to float rounding
        assertClose(batch, restored);
        assertThat(generate(restored).tokenIds()).containsExactly(model.answer(frames, QUESTION, GREEDY).tokenIds());
    }

    @Test
    void encodingWithThePromptGivesTheFramesAndTheirFusedTextInOneRun() {
        float[] images = TinyVlmFixtures.images(VISION_CONFIG, 4, 6);
        List<EncodedFrame> frames = model.encode(images, 4);
        List<PromptedFrame> prompted = model.encode(images, 4, QUESTION);
        assertThat(prompted).hasSize(4);
        IncrementalCaption.State state = null;
        for (int f = 0; f < 4; f++) {
            EncodedFrame e = prompted.get(f).frame();
            assertThat(e.image()).isDeepEqualTo(frames.get(f).image());
            assertThat(e.compressed()).isDeepEqualTo(frames.get(f).compressed());
            // Z' from a run over [G | Z | text] against one over [G | Z]: equal up to float rounding
            assertClose(frames.get(f).fused(), e.fused());
            state = IncrementalCaption.State.plus(state, e, prompted.get(f).text());
        }
        assertThat(state.text().frames()).isEqualTo(4);
        float[][] input = model.incrementalCaption(QUESTION, state).input();
        assertClose(model.input(frames, QUESTION), input);
        assertThat(generate(input).tokenIds()).containsExactly(model.answer(frames, QUESTION, GREEDY).tokenIds());
        IncrementalCaption.State first = state;
        assertThatThrownBy(() -> IncrementalCaption.State.plus(first, frames.get(0), new float[1][1]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void captionNeedsAFrame() {
        int length = model.language().visualPrompt(QUESTION).length();
        int width = model.language().decoder().config().hiddenSize();
        IncrementalCaption.State empty = new IncrementalCaption.State(
                new RunningTextFusion.State(length, width, 0, new double[length * width]), List.of());
        assertThatThrownBy(() -> model.incrementalCaption(QUESTION, empty).input())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no frames");
    }

    @Test
    void encodingManyFramesEqualsOneAtATime() {
        int n = 6;
        float[] images = TinyVlmFixtures.images(VISION_CONFIG, n, 4);
        List<EncodedFrame> batch = model.encode(images, n);
        assertThat(batch).hasSize(n);
        int per = VISION_CONFIG.imageFloats();
        for (int f = 0; f < n; f++) {
            EncodedFrame single = model.encode(Arrays.copyOfRange(images, f * per, (f + 1) * per), 1).get(0);
            EncodedFrame part = batch.get(f);
            assertThat(part.image()).hasNumberOfRows(VISION_CONFIG.numPatches());
            assertThat(part.compressed()).hasNumberOfRows(1);
            assertClose(single.image(), part.image());
            assertClose(single.compressed(), part.compressed());
            assertClose(single.fused(), part.fused());
        }
    }

    @Test
    void encodedFramesRoundTripThroughBytes() {
        EncodedFrame frame = model.encode(TinyVlmFixtures.images(VISION_CONFIG, 1, 5), 1).get(0);
        byte[] bytes = frame.toBytes();
        assertThat(bytes).hasSize(20 + (16 + 2) * 32 * 4);
        assertThat(EncodedFrame.fromBytes(bytes)).isEqualTo(frame);
        assertThatThrownBy(() -> EncodedFrame.fromBytes(Arrays.copyOf(bytes, bytes.length - 4)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not hold");
        assertThatThrownBy(() -> EncodedFrame.fromBytes(new byte[24])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not an encoded");
    }

    @Test
    void rejectsABundleOfAnotherArchitecture() {
        Path llava = TinyLlava.write(dir.resolve("llava"), 7, dir.resolve("tok/tokenizer.json"));
        assertThatThrownBy(() -> LlavaMiniModel.open(llava, VISION, DECODER)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("holds a llava model").hasMessageContaining("llava-mini");
    }

    @Test
    void rejectsABundleWithoutCompressor() throws Exception {
        Path broken = TinyLlavaMini.write(dir.resolve("no-compressor"), 7, dir.resolve("tok/tokenizer.json"));
        InMemoryTensors kept = new InMemoryTensors();
        try (TensorSource all = Checkpoint.open(broken)) {
            for (String name : all.names()) {
                if (!name.startsWith(CompressorWeights.DEFAULT_PREFIX)) {
                    kept.put(name, all.floats(name), all.info(name).shape());
                }
            }
        }
        SafetensorsWriter.write(broken.resolve(Checkpoint.SINGLE_FILE), kept, DType.F32);
        assertThatThrownBy(() -> LlavaMiniModel.open(broken, VISION, DECODER)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("missing tensor model.compressor.query");
    }

    @Test
    void rejectsACompressorSizeTheQueriesContradict() throws Exception {
        Path wrong = TinyLlavaMini.write(dir.resolve("wrong-size"), 7, dir.resolve("tok/tokenizer.json"));
        ObjectMapper json = new ObjectMapper();
        ObjectNode config = (ObjectNode) json.readTree(wrong.resolve(ModelBundle.CONFIG).toFile());
        config.put(LlavaMiniSettings.COMPRESSOR_SIZE, 2);
        Files.writeString(wrong.resolve(ModelBundle.CONFIG), json.writeValueAsString(config));
        assertThatThrownBy(() -> LlavaMiniModel.open(wrong, VISION, DECODER)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("compressor_size 2").hasMessageContaining("1x1 grid");
    }

    @Test
    void inspectionShowsTheCompressorOutputBeforeTheProjector() {
        float[] image = TinyVlmFixtures.images(VISION_CONFIG, 1, 6);
        try (ModelBundle b = ModelBundle.open(bundle); Projector projector = Projector.load(b, VISION)) {
            float[] compressed = VisionInspection.compressed(b, image);
            assertThat(compressed).hasSize(VISION_CONFIG.hiddenSize());
            float[][] projected = {projector.project(compressed, 1)};
            assertClose(model.encode(image, 1).get(0).compressed(), projected);
        }
        Path llava = TinyLlava.write(dir.resolve("llava-inspect"), 7, dir.resolve("tok/tokenizer.json"));
        try (ModelBundle b = ModelBundle.open(llava)) {
            assertThatThrownBy(() -> VisionInspection.compressed(b, image)).isInstanceOf(ModelFormatException.class)
                    .hasMessageContaining("only llava-mini bundles have a compressor");
        }
    }

    static void assertClose(float[][] expected, float[][] actual) {
        assertThat(actual).hasNumberOfRows(expected.length);
        for (int i = 0; i < expected.length; i++) {
            for (int j = 0; j < expected[i].length; j++) {
                assertThat(actual[i][j]).as("row %d col %d", i, j).isCloseTo(expected[i][j], within(1e-5f));
            }
        }
    }
}

package io.streamvl.shapes.train;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamvl.models.llavamini.LlavaMiniModel;
import io.streamvl.models.text.WordLevelTokenizerWriter;
import io.streamvl.models.tiny.ShapesModelConfig;
import io.streamvl.models.tsllava.ClipPixels;
import io.streamvl.models.tsllava.RgbImage;
import io.streamvl.models.tsllava.TsLlavaModel;
import io.streamvl.shapes.CaptionWriter;
import io.streamvl.shapes.QuestionType;
import io.streamvl.shapes.ShapesDataset;
import io.streamvl.shapes.ShapesWorld;
import io.streamvl.shapes.VideoQuestion;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Both evaluation modes over an untrained shapes bundle: structure and counts (random weights score by chance). */
class ShapesEvaluationTest {
    private static final int VIDEOS = 3;
    private static final long SEED = 8;
    private static final int SIZE = ShapesModelConfig.vision().imageSize();

    @TempDir
    static Path dir;
    private static ShapesDataset data;
    private static Path bundle;

    @BeforeAll
    static void generate() throws Exception {
        data = ShapesDataset.generate(dir.resolve("data"), VIDEOS, SEED);
        Path tokenizer = WordLevelTokenizerWriter.write(dir.resolve("tokenizer"), ShapesVocabulary.words());
        bundle = ShapesModelConfig.write(dir.resolve("bundle"), 3, tokenizer);
    }

    /** TS-LLaVA gets every frame, and sees each one exactly as the 1 fps clip of the image path does. */
    @Test
    void tsLlavaSeesEveryFrameAsTheClipDoes() throws Exception {
        Path video = data.videoPath(data.videos().get(0));
        List<RgbImage> every;
        float[] clip;
        try (ShapesFrames frames = new ShapesFrames(SIZE)) {
            every = frames.everyFrame(video);
            clip = frames.decode(video);
        }
        assertThat(every).hasSize(ShapesWorld.video(SEED, 0).scene().frameCount());
        int frameFloats = SIZE * SIZE * RgbImage.CHANNELS;
        for (int k = 0; k < ShapesFrames.FRAMES; k++) {
            assertThat(ClipPixels.normalise(List.of(every.get(k * ShapesWorld.FPS)), SIZE)).as("second %d", k)
                    .containsExactly(Arrays.copyOfRange(clip, k * frameFloats, (k + 1) * frameFloats));
        }
    }

    @Test
    void tsLlavaModeScoresEveryQuestionAndCaptionWithTheLlavaMiniModesReport() throws Exception {
        ObjectNode tsLlava;
        try (TsLlavaModel model = TsLlavaModel.open(bundle)) {
            tsLlava = ShapesEvaluation.run(model, data.dir()).toJson();
        }
        ObjectNode llavaMini;
        List<ScoredAnswer> log = new ArrayList<>();
        try (LlavaMiniModel model = LlavaMiniModel.open(bundle)) {
            llavaMini = ShapesEvaluation.run(model, data.dir(), log::add).toJson();
        }
        assertThat(tsLlava.get("mode").asText()).isEqualTo("ts-llava");
        assertThat(llavaMini.get("mode").asText()).isEqualTo("llava-mini");
        assertThat(tsLlava.fieldNames()).toIterable().containsExactlyElementsOf(() -> llavaMini.fieldNames());
        assertThat(tsLlava.get("per_type").fieldNames()).toIterable()
                .containsExactly("color", "shape", "count", "direction", "presence");
        assertThat(tsLlava.get("videos").asInt()).isEqualTo(VIDEOS);
        assertThat(tsLlava.get("captions").asInt()).isEqualTo(VIDEOS);
        assertThat(tsLlava.get("questions").asInt()).isEqualTo(data.questions().size());
        for (QuestionType t : QuestionType.values()) {
            long asked = data.questions().stream().filter(q -> q.type() == t).count();
            assertThat(tsLlava.get("questions_per_type").get(t.label()).asLong()).as(t.label()).isEqualTo(asked);
        }
        assertThat(tsLlava.get("overall").asDouble()).isBetween(0.0, 1.0);
        assertThat(tsLlava.get("captions_exact").asDouble()).isBetween(0.0, 1.0);

        List<ScoredAnswer> questions = log.stream().filter(a -> !a.kind().equals(ScoredAnswer.CAPTION)).toList();
        assertThat(questions).extracting(ScoredAnswer::question)
                .containsExactlyElementsOf(data.questions().stream().map(VideoQuestion::question).toList());
        assertThat(questions).extracting(ScoredAnswer::expected)
                .containsExactlyElementsOf(data.questions().stream().map(VideoQuestion::answer).toList());
        assertThat(questions).extracting(ScoredAnswer::kind)
                .containsExactlyElementsOf(data.questions().stream().map(q -> q.type().label()).toList());
        assertThat(questions).allSatisfy(a -> assertThat(a.correct())
                .isEqualTo(data.questions().stream().filter(q -> q.question().equals(a.question())
                        && q.video().equals(a.video())).findFirst().orElseThrow().isCorrect(a.answer())));
        assertThat(questions.stream().filter(ScoredAnswer::correct).count())
                .isEqualTo(Math.round(llavaMini.get("overall").asDouble() * data.questions().size()));
        List<ScoredAnswer> captions = log.stream().filter(a -> a.kind().equals(ScoredAnswer.CAPTION)).toList();
        assertThat(captions).hasSize(VIDEOS);
        assertThat(captions.stream().filter(ScoredAnswer::correct).count())
                .isEqualTo(Math.round(llavaMini.get("captions_exact").asDouble() * VIDEOS));
        assertThat(captions).allSatisfy(a -> assertThat(a.correct())
                .isEqualTo(CaptionWriter.sameClauses(a.expected(), a.answer())));
    }
}

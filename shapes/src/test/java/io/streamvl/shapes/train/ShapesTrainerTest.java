package io.streamvl.shapes.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamvl.models.bundle.ModelBundle;
import io.streamvl.models.llavamini.LlavaMiniModel;
import io.streamvl.models.tiny.ShapesModelConfig;
import io.streamvl.models.vision.ClipVisionWeights;
import io.streamvl.models.weights.TensorSource;
import io.streamvl.shapes.QuestionType;
import io.streamvl.shapes.ShapesDataset;
import io.streamvl.shapes.ShapesWorld;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShapesTrainerTest {
    private static final int VIDEOS = 3;
    private static final int STEPS = 12;

    @TempDir
    static Path dir;
    private static ShapesDataset data;

    @BeforeAll
    static void generate() throws Exception {
        data = ShapesDataset.generate(dir.resolve("data"), VIDEOS, 5);
    }

    @Test
    void framesComeThroughTheIngestPathAsNormalisedClips() throws Exception {
        int size = ShapesModelConfig.vision().imageSize();
        float[] clip;
        try (ShapesFrames frames = new ShapesFrames(size)) {
            clip = frames.decode(data.videoPath(data.videos().get(0)));
            assertThat(frames.clipLength()).isEqualTo(clip.length);
        }
        int frame = size * size * 3;
        assertThat(clip).hasSize(ShapesFrames.FRAMES * frame);
        // CLIP normalisation maps [0, 1] to about [-1.79, 2.15] over the three channels.
        for (float v : clip) {
            assertThat(v).isBetween(-1.8f, 2.2f);
        }
        assertThat(Arrays.copyOfRange(clip, 0, frame))
                .as("a moving object changes the clip's first frame by the last")
                .isNotEqualTo(Arrays.copyOfRange(clip, clip.length - frame, clip.length));
    }

    @Test
    void trainsABundleThatTheRuntimeEvaluates() throws Exception {
        List<Float> losses = new ArrayList<>();
        ShapesTrainer.Result result = ShapesTrainer.train(data.dir(), dir.resolve("bundle"), 7, STEPS,
                (step, steps, loss) -> losses.add(loss));
        System.out.printf("shapes smoke: %d samples, loss %s, %.0f ms/step including decoding%n", result.samples(),
                losses, (double) result.millis() / STEPS);

        assertThat(losses).hasSize(STEPS);
        long wholeClip = wholeClipQuestions();
        assertThat(wholeClip).isPositive();
        assertThat(result.samples()).as("direction and count questions are repeated in a pass").isEqualTo(
                data.questions().size() + data.captions().size()
                        + wholeClip * (ShapesTraining.WHOLE_CLIP_REPEATS - 1));
        assertThat(mean(losses.subList(STEPS - 3, STEPS))).isLessThan(mean(losses.subList(0, 3)));
        assertThat(result.firstLoss()).isEqualTo(losses.get(0));

        try (LlavaMiniModel model = LlavaMiniModel.open(result.bundle())) {
            assertThat(model.inputSize()).isEqualTo(ShapesModelConfig.vision().imageSize());
            ObjectNode json = ShapesEvaluation.run(model, data.dir()).toJson();
            assertThat(json.has("overall")).isTrue();
            assertThat(json.has("captions_exact")).isTrue();
            assertThat(json.get("per_type").fieldNames()).toIterable()
                    .containsExactly("color", "shape", "count", "direction", "presence");
            assertThat(json.get("videos").asInt()).isEqualTo(VIDEOS);
            assertThat(json.get("questions").asInt()).isEqualTo(data.questions().size());
            int perType = 0;
            for (QuestionType t : QuestionType.values()) {
                perType += json.get("questions_per_type").get(t.label()).asInt();
            }
            assertThat(perType).isEqualTo(data.questions().size());
            assertThat(json.get("per_type").get("count").asDouble()).isBetween(0.0, 1.0);
        }
    }

    @Test
    void generateAndTrainPreTrainsTheTowerOnEveryFrameFirst() throws Exception {
        int towerSteps = 20;
        List<Float> towerLosses = new ArrayList<>();
        List<Float> losses = new ArrayList<>();
        ShapesTrainer.Run run = new ShapesTrainer.Run(VIDEOS, 5, towerSteps, null, 2, ShapesModelConfig.LLM_HEADS);
        Path work = dir.resolve("pretraining-work");
        ShapesTrainer.Result result = ShapesTrainer.generateAndTrain(run, dir.resolve("pretrained"),
                TrainingWorkDir.keep(work, 2), written -> {}, new ShapesTrainer.Listener() {
                    @Override
                    public void step(int step, int steps, float loss) {
                        losses.add(loss);
                    }

                    @Override
                    public void towerStep(int step, int steps, float loss) {
                        towerLosses.add(loss);
                    }
                });
        int everyFrame = 0;
        for (int i = 0; i < VIDEOS; i++) {
            everyFrame += ShapesWorld.video(5, i).scene().frameCount();
        }
        assertThat(result.tower().frames()).isEqualTo(everyFrame);
        assertThat(result.tower().steps()).isEqualTo(towerSteps);
        assertThat(towerLosses).hasSize(towerSteps);
        assertThat(mean(towerLosses.subList(towerSteps - 3, towerSteps)))
                .isLessThan(mean(towerLosses.subList(0, 3)));
        assertThat(losses).hasSize(2);
        try (LlavaMiniModel model = LlavaMiniModel.open(result.bundle())) {
            assertThat(model.inputSize()).isEqualTo(ShapesModelConfig.vision().imageSize());
        }

        ShapesTrainer.Result again = ShapesTrainer.generateAndTrain(run, dir.resolve("pretrained-again"),
                TrainingWorkDir.keep(work, 2), written -> {}, new ShapesTrainer.Listener() {
                    @Override
                    public void step(int step, int steps, float loss) {}

                    @Override
                    public void towerStep(int step, int steps, float loss) {
                        towerLosses.add(loss);
                    }
                });
        assertThat(towerLosses).as("the tower is not pre-trained again").hasSize(towerSteps);
        assertThat(again.tower()).as("but its pre-training is still reported").isEqualTo(result.tower());
    }

    /**
     * The shipped bundle's tower, trained on and left as it was: frozen, where the rest of the model learns; here under
     * an LLM of 8 heads, as the pilots of docs/models.md.
     */
    @Test
    void generateAndTrainCanTakeATrainedTowerInstead() throws Exception {
        List<Float> towerLosses = new ArrayList<>();
        ShapesTrainer.Result result = ShapesTrainer.generateAndTrain(
                new ShapesTrainer.Run(VIDEOS, 5, 0, ShippedBundleTest.BUNDLE, 2, 8), dir.resolve("on-shipped-tower"),
                written -> {}, new ShapesTrainer.Listener() {
                    @Override
                    public void step(int step, int steps, float loss) {}

                    @Override
                    public void towerStep(int step, int steps, float loss) {
                        towerLosses.add(loss);
                    }
                });
        assertThat(result.tower()).isNull();
        assertThat(towerLosses).isEmpty();
        try (ModelBundle trained = ModelBundle.open(result.bundle());
                ModelBundle shipped = ModelBundle.open(ShippedBundleTest.BUNDLE)) {
            TensorSource tower = ClipVisionWeights.tower(trained.weights());
            TensorSource shippedTower = ClipVisionWeights.tower(shipped.weights());
            assertThat(tower.names()).isNotEmpty();
            for (String name : tower.names()) {
                assertThat(tower.floats(name)).as(name).containsExactly(shippedTower.floats(name));
            }
            assertThat(trained.hfConfig().path("num_attention_heads").asInt()).as("a pilot of more heads").isEqualTo(8);
            assertThat(trained.hfConfig().path("num_key_value_heads").asInt()).isEqualTo(4);
            String lmHead = "lm_head.weight";
            assertThat(trained.weights().floats(lmHead)).isNotEqualTo(shipped.weights().floats(lmHead));
        }
        assertThatThrownBy(() -> new ShapesTrainer.Run(VIDEOS, 5, 0, ShippedBundleTest.BUNDLE, 2, 3))
                .as("refused before any video is generated")
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("even divisor of 64");
        assertThatThrownBy(() -> new ShapesTrainer.Run(VIDEOS, 5, 10, ShippedBundleTest.BUNDLE, 2, 8))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not both");
    }

    /**
     * A run killed after a checkpoint and started again on its work directory ends as the uninterrupted run; with the
     * binding losses, whose heads are checkpointed with the rest, captions repeated and AnyRes images.
     */
    @Test
    void aKeptWorkDirectoryResumesAnInterruptedRunToTheSameBundle() throws Exception {
        ShapesTrainer.Run run = new ShapesTrainer.Run(VIDEOS, 5, 0, ShippedBundleTest.BUNDLE, 4, 8, 0.5f, 0.5f, true, 3,
                true);
        ShapesTrainer.Result straight = ShapesTrainer.generateAndTrain(run, dir.resolve("straight"), written -> {},
                (step, steps, loss) -> {});
        long wholeClip = wholeClipQuestions();
        assertThat(straight.samples()).as("every caption three times in a pass").isEqualTo(data.questions().size()
                + wholeClip * (ShapesTraining.WHOLE_CLIP_REPEATS - 1) + 3L * data.captions().size());

        Path work = dir.resolve("work");
        List<Integer> generated = new ArrayList<>();
        assertThatThrownBy(() -> ShapesTrainer.generateAndTrain(run, dir.resolve("killed"),
                TrainingWorkDir.keep(work, 2), generated::add, (step, steps, loss) -> {
                    if (step == 3) {
                        throw new IllegalStateException("killed at step 3");
                    }
                })).hasMessage("killed at step 3");
        assertThat(generated).hasSize(VIDEOS);

        List<String> told = new ArrayList<>();
        ShapesTrainer.Result resumed = ShapesTrainer.generateAndTrain(run, dir.resolve("resumed"),
                TrainingWorkDir.keep(work, 2), generated::add, new ShapesTrainer.Listener() {
                    @Override
                    public void step(int step, int steps, float loss) {
                        told.add("step " + step);
                    }

                    @Override
                    public void resumed(int step, int steps) {
                        told.add("resumed after " + step);
                    }
                });
        assertThat(generated).as("the videos are not generated again").hasSize(VIDEOS);
        assertThat(told).containsExactly("resumed after 2", "step 3", "step 4");
        assertThat(resumed.firstLoss()).isEqualTo(straight.firstLoss());
        assertThat(resumed.lastLoss()).isEqualTo(straight.lastLoss());
        try (ModelBundle a = ModelBundle.open(straight.bundle()); ModelBundle b = ModelBundle.open(resumed.bundle())) {
            assertThat(b.weights().names()).isEqualTo(a.weights().names());
            for (String name : a.weights().names()) {
                assertThat(b.weights().floats(name)).as(name).containsExactly(a.weights().floats(name));
            }
        }

        ShapesTrainer.Run withoutBinding = new ShapesTrainer.Run(VIDEOS, 5, 0, ShippedBundleTest.BUNDLE, 4, 8);
        assertThatThrownBy(() -> ShapesTrainer.generateAndTrain(withoutBinding, dir.resolve("other"),
                TrainingWorkDir.keep(work, 2), written -> {}, (step, steps, loss) -> {}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("holds another run");
        ShapesTrainer.Run longer = new ShapesTrainer.Run(VIDEOS, 5, 0, ShippedBundleTest.BUNDLE, 6, 8, 0.5f, 0.5f, true,
                3, true);
        ShapesTrainer.Run captionsOnce = new ShapesTrainer.Run(VIDEOS, 5, 0, ShippedBundleTest.BUNDLE, 4, 8, 0.5f, 0.5f,
                true, 1, true);
        ShapesTrainer.Run oneView = new ShapesTrainer.Run(VIDEOS, 5, 0, ShippedBundleTest.BUNDLE, 4, 8, 0.5f, 0.5f,
                true, 3, false);
        for (ShapesTrainer.Run other : List.of(longer, captionsOnce, oneView)) {
            assertThatThrownBy(() -> ShapesTrainer.generateAndTrain(other, dir.resolve("other"),
                    TrainingWorkDir.keep(work, 2), written -> {}, (step, steps, loss) -> {}))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("holds another run");
        }
        assertThatThrownBy(() -> new ShapesTrainer.Run(VIDEOS, 5, 0, ShippedBundleTest.BUNDLE, 4, 8, 0f, 0f, false, 0,
                false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("caption repeats");
    }

    /** The questions a pass holds {@link ShapesTraining#WHOLE_CLIP_REPEATS} times. */
    private static long wholeClipQuestions() {
        return data.questions().stream()
                .filter(q -> q.type() == QuestionType.DIRECTION || q.type() == QuestionType.COUNT).count();
    }

    private static double mean(List<Float> values) {
        return values.stream().mapToDouble(Float::doubleValue).average().orElseThrow();
    }
}

package io.streamvl.models.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.streamvl.models.bundle.ModelBundle;
import io.streamvl.models.llama.DecoderOptions;
import io.streamvl.models.llama.GenerationConfig;
import io.streamvl.models.llama.LlamaModel;
import io.streamvl.models.llavamini.EncodedFrame;
import io.streamvl.models.llavamini.LlavaMiniModel;
import io.streamvl.models.text.WordLevelTokenizerWriter;
import io.streamvl.models.tiny.TinyLlavaMini;
import io.streamvl.models.vision.VisionOptions;
import io.streamvl.models.weights.InMemoryTensors;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LlavaMiniTrainerTest {
    private static final int FRAMES = 4;
    private static final String QUESTION = "what color is it ?";
    private static final List<String> COLORS = List.of("red", "green", "blue");
    /** Normalised RGB of each colour: one channel high, the others low. */
    private static final float[][] RGB = {{1.5f, -1f, -1f}, {-1f, 1.5f, -1f}, {-1f, -1f, 1.5f}};
    private static final TrainerOptions OPTIONS = TrainerOptions.of(FRAMES, 0.01f).withThreads(2, 1);
    private static final VisionOptions VISION = VisionOptions.defaults().withThreads(2, 1).withMaxBatch(FRAMES);
    private static final DecoderOptions DECODER = DecoderOptions.defaults().withThreads(2, 1).withMaxCacheLength(64);

    @TempDir
    static Path dir;
    private static Path initial;

    @BeforeAll
    static void writeInitialBundle() {
        Path tokenizer = WordLevelTokenizerWriter.write(dir.resolve("tok"),
                List.of("what", "color", "is", "it", "?", "red", "green", "blue", "the", "clip", "of"));
        initial = TinyLlavaMini.write(dir.resolve("initial"), 11, tokenizer);
    }

    /** A clip of one solid colour with per-pixel noise, so no two clips are the same. */
    private static TrainingSample sample(int color, long seed, String question) {
        SplittableRandom random = new SplittableRandom(seed);
        int size = TinyLlavaMini.visionConfig().imageSize();
        float[] frames = new float[FRAMES * size * size * 3];
        for (int i = 0; i < frames.length; i++) {
            frames[i] = RGB[color][i % 3] + (float) random.nextDouble(-0.3, 0.3);
        }
        return new TrainingSample(frames, question, COLORS.get(color));
    }

    private static List<TrainingSample> batch(long seed) {
        List<TrainingSample> batch = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            batch.add(sample(i % 3, seed * 100 + i, QUESTION));
        }
        return batch;
    }

    @Test
    void trainingLogitsAtStepZeroEqualTheRuntimes() {
        List<TrainingSample> samples = List.of(sample(0, 1, QUESTION), sample(2, 2, "what is the color of the clip ?"));
        Path exported;
        float[][][] trained;
        try (LlavaMiniTrainer trainer = LlavaMiniTrainer.open(initial, OPTIONS)) {
            trained = trainer.answerLogits(samples);
            InMemoryTensors weights = trainer.weights();
            assertThat(weights.names()).contains("model.vision_tower.vision_tower.vision_model.embeddings.patch_embedding.weight",
                    "model.mm_projector.0.weight", "model.compressor.attn.in_proj_weight",
                    "model.prefusion_layers.1.mlp.down_proj.weight", "model.embed_tokens.weight", "lm_head.weight");
            try (ModelBundle bundle = ModelBundle.open(initial)) {
                for (String name : weights.names()) {
                    assertThat(weights.floats(name)).as(name).containsExactly(bundle.weights().floats(name));
                }
            }
            exported = trainer.export(dir.resolve("step0"), "step0");
        }
        try (LlavaMiniModel model = LlavaMiniModel.open(exported, VISION, DECODER)) {
            LlamaModel llm = model.language().decoder();
            for (int s = 0; s < samples.size(); s++) {
                TrainingSample sample = samples.get(s);
                List<EncodedFrame> frames = model.encode(sample.frames(), FRAMES);
                float[][] prompt = model.input(frames, sample.question());
                float[][] answer = model.language().embed(model.language().tokenizer().encode(sample.answer(), false));
                assertThat(trained[s]).hasNumberOfRows(answer.length + 1);
                for (int k = 0; k <= answer.length; k++) {
                    float[][] input = new float[prompt.length + k][];
                    System.arraycopy(prompt, 0, input, 0, prompt.length);
                    System.arraycopy(answer, 0, input, prompt.length, k);
                    int[] positions = new int[input.length];
                    Arrays.setAll(positions, i -> i);
                    int[] mask = new int[input.length];
                    Arrays.fill(mask, 1);
                    float[] runtime = llm.prefillEmbeddings(new float[][][] {input}, new int[][] {positions},
                            new int[][] {mask})[0];
                    for (int v = 0; v < runtime.length; v++) {
                        assertThat(trained[s][k][v]).as("sample %d token %d logit %d", s, k, v)
                                .isCloseTo(runtime[v], within(1e-4f));
                    }
                }
            }
        }
    }

    @Test
    void sameBundleAndDataGiveTheSameLosses() {
        assertThat(losses(4)).containsExactly(losses(4));
    }

    /** What a run interrupted after a checkpoint and resumed from it does is what the uninterrupted run does. */
    @Test
    void aRestoredCheckpointContinuesAsTheRunWouldHave() {
        TrainerOptions options = OPTIONS.withImagePath(1f).withPatchLoss(4, 1f)
                .withSchedule(new LearningRateSchedule(0.01f, 2, 6, 0.1f));
        int frameFloats = TinyLlavaMini.visionConfig().imageSize() * TinyLlavaMini.visionConfig().imageSize() * 3;
        float[] straight = new float[6];
        InMemoryTensors straightWeights;
        try (LlavaMiniTrainer trainer = LlavaMiniTrainer.open(initial, options)) {
            for (int i = 0; i < 6; i++) {
                straight[i] = trainer.step(mixedBatch(i, frameFloats));
                if (i == 2) {
                    trainer.save(dir.resolve("checkpoint/variables"));
                }
            }
            straightWeights = trainer.weights();
        }
        try (LlavaMiniTrainer resumed = LlavaMiniTrainer.open(initial, options)) {
            resumed.restore(dir.resolve("checkpoint/variables"), 3);
            assertThat(resumed.steps()).isEqualTo(3);
            for (int i = 3; i < 6; i++) {
                assertThat(resumed.step(mixedBatch(i, frameFloats))).as("step %d", i + 1).isEqualTo(straight[i]);
            }
            InMemoryTensors weights = resumed.weights();
            assertThat(weights.names()).isEqualTo(straightWeights.names());
            for (String name : weights.names()) {
                assertThat(weights.floats(name)).as(name).containsExactly(straightWeights.floats(name));
            }
        }
    }

    private static List<TrainingSample> mixedBatch(int step, int frameFloats) {
        List<TrainingSample> mixed = new ArrayList<>(labelled(batch(step)));
        for (TrainingSample s : batch(1000 + step)) {
            mixed.add(firstFrame(s, frameFloats));
        }
        return mixed;
    }

    private static float[] losses(int steps) {
        try (LlavaMiniTrainer trainer = LlavaMiniTrainer.open(initial, OPTIONS)) {
            float[] out = new float[steps];
            for (int i = 0; i < steps; i++) {
                out[i] = trainer.step(batch(i));
            }
            return out;
        }
    }

    @Test
    void learnsColoursThatTheRuntimeThenAnswers() {
        Path exported;
        float first;
        float last = Float.NaN;
        try (LlavaMiniTrainer trainer = LlavaMiniTrainer.open(initial, OPTIONS)) {
            List<TrainingSample> heldOut = List.of(sample(0, 9001, QUESTION), sample(1, 9002, QUESTION),
                    sample(2, 9003, QUESTION));
            first = trainer.loss(heldOut);
            long start = System.nanoTime();
            int steps = 0;
            for (; steps < 100 && !(last < 0.05f); steps++) {
                last = trainer.step(batch(steps));
            }
            System.out.printf("colour task: held-out loss %.4f -> %.4f, last batch loss %.4f after %d steps, %.1f ms/step%n",
                    first, trainer.loss(heldOut), last, steps, (System.nanoTime() - start) / 1e6 / steps);
            // Without the frames the best guess is uniform over three colours: ln 3 on the colour token, half that
            // per answer token; far below it, the answer comes from the pixels.
            assertThat(trainer.loss(heldOut)).isLessThan(first / 10).isLessThan((float) Math.log(3) / 2 / 5);
            exported = trainer.export(dir.resolve("colours"), "tiny-colours");
        }
        try (LlavaMiniModel model = LlavaMiniModel.open(exported, VISION, DECODER)) {
            for (int c = 0; c < COLORS.size(); c++) {
                TrainingSample clip = sample(c, 5000 + c, QUESTION);
                String answer = model.answer(model.encode(clip.frames(), FRAMES), QUESTION, GenerationConfig.greedy(4)).text();
                assertThat(answer.trim()).isEqualTo(COLORS.get(c));
            }
        }
    }

    @Test
    void patchLossTrainsTheTowerAndLeavesTheExportedWeightsAsTheBundleNames() {
        List<TrainingSample> labelled = labelled(batch(3));
        try (LlavaMiniTrainer trainer = LlavaMiniTrainer.open(initial, OPTIONS.withPatchLoss(4, 1f))) {
            float first = trainer.patchLoss(labelled);
            // two heads (tower patches, the frame's layout from Z'), each near ln 4 before training
            assertThat(first).isCloseTo(2 * (float) Math.log(4), within(0.4f));
            for (int i = 0; i < 30; i++) {
                trainer.step(labelled);
            }
            assertThat(trainer.patchLoss(labelled)).isLessThan(first / 4);
            try (ModelBundle bundle = ModelBundle.open(initial)) {
                assertThat(bundle.weights().names()).containsAll(trainer.weights().names());
            }
            assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> trainer.step(batch(4))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("patch labels");
        }
    }

    @Test
    void aFrozenTowerKeepsItsWeightsWhileTheRestLearns() {
        try (LlavaMiniTrainer trainer = LlavaMiniTrainer.open(initial, OPTIONS.withFrozenTower().withPatchLoss(4, 1f));
                ModelBundle bundle = ModelBundle.open(initial)) {
            for (int step = 0; step < 3; step++) {
                trainer.step(labelled(batch(step)));
            }
            InMemoryTensors weights = trainer.weights();
            int changed = 0;
            for (String name : weights.names()) {
                boolean same = Arrays.equals(weights.floats(name), bundle.weights().floats(name));
                if (name.startsWith("model.vision_tower.")) {
                    assertThat(same).as(name).isTrue();
                } else if (!same) {
                    changed++;
                }
            }
            assertThat(changed).as("projector, compressor, pre-fusion and LLM tensors trained").isGreaterThan(10);
        }
    }

    /** Every patch labelled with the clip's colour (class 1 + colour). */
    private static List<TrainingSample> labelled(List<TrainingSample> samples) {
        int patches = TinyLlavaMini.visionConfig().numPatches();
        List<TrainingSample> out = new ArrayList<>();
        for (TrainingSample s : samples) {
            int[] labels = new int[FRAMES * patches];
            Arrays.fill(labels, 1 + COLORS.indexOf(s.answer()));
            out.add(new TrainingSample(s.frames(), s.question(), s.answer(), labels));
        }
        return out;
    }

    /**
     * The binding head reads the named object's place in each frame from the LLM at the answer: here a place that
     * follows the clip's colour, one per frame, which the LLM can only report by reading the frames.
     */
    @Test
    void bindingLossTeachesTheLlmToReportTheSubjectsPlaceInEveryFrame() {
        List<TrainingSample> heldOut = withSubjects(batch(70), false);
        try (LlavaMiniTrainer trainer = LlavaMiniTrainer.open(initial, OPTIONS.withBinding(new BindingLoss(1f, 0f, 1)))) {
            float first = trainer.bindingLoss(heldOut);
            assertThat(first).as("the head starts near zero: the squared places").isGreaterThan(0.5f);
            for (int step = 0; step < 40; step++) {
                trainer.step(withSubjects(batch(step), true));
            }
            assertThat(trainer.bindingLoss(heldOut)).isLessThan(first / 4);
            assertThat(trainer.lastBindingLoss()).as("the last step's batch, logged by shapes train")
                    .isLessThan(first / 2);
            assertThat(trainer.bindingLoss(batch(71))).as("no sample names a subject").isZero();
            try (ModelBundle bundle = ModelBundle.open(initial)) {
                assertThat(bundle.weights().names()).as("the head is not exported")
                        .containsAll(trainer.weights().names());
            }
            float[] places = heldOut.get(0).subjects().get(0).places();
            TrainingSample wrong = new TrainingSample(heldOut.get(0).frames(), QUESTION, "red", null,
                    List.of(new TrainingSample.Subject(0, new float[3])));
            assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> trainer.step(List.of(wrong))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("subject coordinates");
            // "red" and the stop token: a subject may be read at either column, not beyond
            TrainingSample atStop = new TrainingSample(heldOut.get(0).frames(), QUESTION, "red", null,
                    List.of(new TrainingSample.Subject(1, places)));
            assertThat(trainer.bindingLoss(List.of(atStop))).isPositive();
            TrainingSample beyond = new TrainingSample(heldOut.get(0).frames(), QUESTION, "red", null,
                    List.of(new TrainingSample.Subject(2, places)));
            assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> trainer.step(List.of(beyond))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("answer token 2 of 2");
        }
        assertThat(org.assertj.core.api.Assertions.catchThrowable(
                () -> LlavaMiniTrainer.open(initial, OPTIONS.withBinding(new BindingLoss(1f, 0f, 9))).close()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("binding layer 9");
    }

    /** Each colour's object at its own place, moving right frame by frame; every other sample without one if asked. */
    private static List<TrainingSample> withSubjects(List<TrainingSample> samples, boolean someWithout) {
        List<TrainingSample> out = new ArrayList<>();
        for (int i = 0; i < samples.size(); i++) {
            TrainingSample s = samples.get(i);
            float[] places = null;
            if (!someWithout || i % 2 == 0) {
                int c = COLORS.indexOf(s.answer());
                places = new float[FRAMES * 2];
                for (int f = 0; f < FRAMES; f++) {
                    places[2 * f] = -0.8f + 0.3f * c + 0.1f * f;
                    places[2 * f + 1] = 0.7f - 0.6f * c;
                }
            }
            out.add(new TrainingSample(s.frames(), s.question(), s.answer(), null,
                    places == null ? List.of() : List.of(new TrainingSample.Subject(0, places))));
        }
        return out;
    }

    /**
     * On the image path the head reads the named object's place in the one frame from the LLM at the answer, which it
     * can only report by reading the frame's patch tokens; without the image path there is nothing to read it from.
     */
    @Test
    void imageBindingLossTeachesTheLlmToReportTheSubjectsPlaceInTheFrame() {
        int frameFloats = TinyLlavaMini.visionConfig().imageSize() * TinyLlavaMini.visionConfig().imageSize() * 3;
        List<TrainingSample> heldOut = new ArrayList<>(batch(70));
        heldOut.addAll(framesWithSubjects(batch(71), frameFloats));
        try (LlavaMiniTrainer trainer = LlavaMiniTrainer.open(initial,
                OPTIONS.withImagePath(1f).withBinding(new BindingLoss(0f, 1f, 1)))) {
            float first = trainer.imageBindingLoss(heldOut);
            assertThat(first).as("the head starts near zero: the squared places").isGreaterThan(0.3f);
            for (int step = 0; step < 40; step++) {
                List<TrainingSample> mixed = new ArrayList<>(batch(step));
                mixed.addAll(framesWithSubjects(batch(1000 + step), frameFloats));
                trainer.step(mixed);
            }
            assertThat(trainer.imageBindingLoss(heldOut)).isLessThan(first / 4);
            assertThat(trainer.lastImageBindingLoss()).isLessThan(first / 2);
            assertThat(trainer.lastBindingLoss()).as("no binding loss on the video path").isNaN();
            assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> trainer.bindingLoss(heldOut)))
                    .isInstanceOf(IllegalStateException.class);
        }
        assertThat(org.assertj.core.api.Assertions.catchThrowable(
                () -> LlavaMiniTrainer.open(initial, OPTIONS.withBinding(new BindingLoss(0f, 1f, 1))).close()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs the image path");
    }

    /** Each sample's first frame, its colour's object at its own place. */
    private static List<TrainingSample> framesWithSubjects(List<TrainingSample> samples, int frameFloats) {
        List<TrainingSample> out = new ArrayList<>();
        for (TrainingSample s : samples) {
            int c = COLORS.indexOf(s.answer());
            out.add(new TrainingSample(Arrays.copyOf(s.frames(), frameFloats), s.question(), s.answer(), null,
                    List.of(new TrainingSample.Subject(0, new float[] {-0.8f + 0.5f * c, 0.7f - 0.6f * c}))));
        }
        return out;
    }

    /** With the patch loss on as well, as the shapes trainer runs: each loss adds to the objective. */
    @Test
    void imagePathLearnsFromSingleFramesAndAStepNeedsBothKinds() {
        int frameFloats = TinyLlavaMini.visionConfig().imageSize() * TinyLlavaMini.visionConfig().imageSize() * 3;
        try (LlavaMiniTrainer trainer = LlavaMiniTrainer.open(initial,
                OPTIONS.withImagePath(1f).withPatchLoss(4, 1f))) {
            List<TrainingSample> heldOut = new ArrayList<>(labelled(batch(50)));
            for (int c = 0; c < COLORS.size(); c++) {
                heldOut.add(firstFrame(sample(c, 8000 + c, QUESTION), frameFloats));
            }
            float first = trainer.imageLoss(heldOut);
            for (int step = 0; step < 40; step++) {
                trainer.step(mixedBatch(step, frameFloats));
            }
            assertThat(trainer.imageLoss(heldOut)).isLessThan(first / 10);
            assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> trainer.step(labelled(batch(1)))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("single-frame");
        }
    }

    /**
     * LLaVA-NeXT's AnyRes on the image path: each single-frame sample goes in as five views (the frame and its 2×2
     * tiles), the LLM reading all their tokens, and the path learns from them as from one view.
     */
    @Test
    void anyResImagePathReadsEveryViewAndLearns() {
        int frameFloats = TinyLlavaMini.visionConfig().imageSize() * TinyLlavaMini.visionConfig().imageSize() * 3;
        List<TrainingSample> heldOut = new ArrayList<>(batch(50));
        for (int c = 0; c < COLORS.size(); c++) {
            heldOut.add(firstFrame(sample(c, 8000 + c, QUESTION), frameFloats));
        }
        float oneView;
        try (LlavaMiniTrainer trainer = LlavaMiniTrainer.open(initial, OPTIONS.withImagePath(1f))) {
            oneView = trainer.imageLoss(heldOut);
        }
        try (LlavaMiniTrainer trainer = LlavaMiniTrainer.open(initial, OPTIONS.withImagePath(1f).withAnyResImages())) {
            float first = trainer.imageLoss(heldOut);
            assertThat(first).as("the tiles' tokens reach the LLM").isNotEqualTo(oneView);
            for (int step = 0; step < 40; step++) {
                trainer.step(mixedBatch(step, frameFloats));
            }
            assertThat(trainer.imageLoss(heldOut)).isLessThan(first / 10);
        }
        assertThatThrownBy(() -> LlavaMiniTrainer.open(initial, OPTIONS.withAnyResImages()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("AnyRes");
    }

    /**
     * A single-frame sample read through its clip's pixels ({@link SamplePixels#frame}) is the same sample as one over
     * a copy of that frame: the shapes trainer keeps one compact copy of each clip for all its samples.
     */
    @Test
    void aFrameOfAClipTrainsTheImagePathAsACopyOfItDoes() {
        int frameFloats = TinyLlavaMini.visionConfig().imageSize() * TinyLlavaMini.visionConfig().imageSize() * 3;
        List<TrainingSample> shared = new ArrayList<>(batch(2));
        List<TrainingSample> copied = new ArrayList<>(shared);
        for (int c = 0; c < COLORS.size(); c++) {
            TrainingSample clip = sample(c, 9000 + c, QUESTION);
            int frame = 1 + c % (FRAMES - 1);
            shared.add(new TrainingSample(clip.pixels().frame(frame, frameFloats), clip.question(), clip.answer(),
                    null, List.of()));
            copied.add(new TrainingSample(Arrays.copyOfRange(clip.frames(), frame * frameFloats,
                    (frame + 1) * frameFloats), clip.question(), clip.answer()));
        }
        TrainerOptions oneView = OPTIONS.withImagePath(1f);
        for (TrainerOptions options : List.of(oneView, oneView.withAnyResImages())) {
            try (LlavaMiniTrainer trainer = LlavaMiniTrainer.open(initial, options)) {
                assertThat(trainer.imageLoss(shared)).isEqualTo(trainer.imageLoss(copied));
            }
        }
        SamplePixels clip = shared.get(0).pixels();
        assertThatThrownBy(() -> clip.frame(FRAMES, frameFloats)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("frame " + FRAMES);
        assertThatThrownBy(() -> clip.frame(1, frameFloats).copyTo(1, new float[frameFloats], 0, frameFloats))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }

    private static TrainingSample firstFrame(TrainingSample s, int frameFloats) {
        return new TrainingSample(Arrays.copyOf(s.frames(), frameFloats), s.question(), s.answer());
    }
}

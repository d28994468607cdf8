package io.streamvl.shapes.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamvl.ingest.VideoDecodeException;
import io.streamvl.models.FileTrees;
import io.streamvl.models.text.WordLevelTokenizerWriter;
import io.streamvl.models.tiny.ShapesModelConfig;
import io.streamvl.models.train.BindingLoss;
import io.streamvl.models.train.LearningRateSchedule;
import io.streamvl.models.train.LlavaMiniTrainer;
import io.streamvl.models.train.TowerPretrainer;
import io.streamvl.models.train.TowerTransplant;
import io.streamvl.models.train.TrainerOptions;
import io.streamvl.models.train.TrainingSample;
import io.streamvl.shapes.Scene;
import io.streamvl.shapes.ShapesDataset;
import io.streamvl.shapes.ShapesWorld;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.IntConsumer;

/**
 * Trains the shapes-world model: a seeded random {@link ShapesModelConfig} bundle over the {@link ShapesVocabulary}
 * tokenizer, Adam on {@link ShapesTraining}'s samples in batches of {@link #BATCH} clips and {@link #IMAGE_BATCH}
 * single frames (the plain image path), a fresh seeded order every pass, with the auxiliary patch loss when the scenes
 * are known, then exported as an ordinary {@code llava-mini} bundle. The same data, seed and steps give the same bundle.
 *
 * <p>When the scenes are known, the vision tower is first pre-trained alone ({@link TowerPretrainer}) on every frame
 * of the videos to classify each patch's object: trained only through the LLM, the tower learned colour but never
 * shape (a linear probe read shape at chance from every such tower), and everything downstream depends on it. The
 * pre-trained tower is then frozen, as LLaVA freezes its CLIP tower. A tower trained before can be given instead (a
 * bundle's, {@link TowerTransplant}), which skips the pre-training: how the recipe's variants are compared on one tower.
 */
public final class ShapesTrainer {
    public static final int BATCH = 16;
    /** The peak of the learning-rate schedule, reached after {@link #WARMUP_STEPS} and decayed to the last step. */
    public static final float LEARNING_RATE = 5e-4f;
    public static final int WARMUP_STEPS = 300;
    public static final float FINAL_RATE_FRACTION = 0.05f;
    /** The auxiliary patch loss's weight next to the answer loss. */
    public static final float PATCH_LOSS_WEIGHT = 1.0f;
    /** The share of the steps, at the start, that sees only single-object videos (see {@link ShapesTraining.Samples}). */
    public static final float CURRICULUM_FRACTION = 0.15f;
    /** Single-frame samples per step for the plain image path (TS-LLaVA's), next to the {@link #BATCH} clips. */
    public static final int IMAGE_BATCH = 8;
    /** The image path's answer loss's weight next to the video answer loss. */
    public static final float IMAGE_WEIGHT = 1.0f;
    public static final String MODEL_NAME = "streamvl-shapes";
    /** Tower pre-training: frames per step, peak rate, and a background patch's loss weight next to an object's 1. */
    public static final int TOWER_BATCH = 64;
    public static final float TOWER_LEARNING_RATE = 1e-3f;
    public static final int TOWER_WARMUP_STEPS = 200;
    public static final float BACKGROUND_WEIGHT = 0.1f;
    /** The LLM layers the binding head reads after: half of them, so the rest can turn places into an answer. */
    public static final int BINDING_LAYER = 2;
    /**
     * The demo model's binding losses' weight, on the video path (captions included) and on the image path: with them
     * direction went from 61 % to 87 % (docs/models.md).
     */
    public static final float BINDING_WEIGHT = 0.5f;
    /** The demo model's seed: of its training videos and its initial weights. */
    public static final long SEED = 1;
    /**
     * The demo model's training videos: with 3000 the training loss fell to 0.008 while direction on unseen videos
     * stayed at 87.5 %; twice as many took it to 92.5 % (docs/models.md).
     */
    public static final int VIDEOS = 6000;
    /**
     * The demo model's whole-model steps: 12000 learn every question type; twice as many, with captions
     * {@link #CAPTION_REPEATS} times a pass, took captions from 34 % to 63 % exact (docs/models.md).
     */
    public static final int STEPS = 24000;
    /**
     * How often each caption is in a pass over the demo model's samples: with captions once, their clauses copied one
     * object's motion to the next (docs/models.md).
     */
    public static final int CAPTION_REPEATS = 3;

    /** Told each step's batch loss as it is taken. */
    @FunctionalInterface
    public interface Listener {
        void step(int step, int steps, float loss);

        /** Told each tower pre-training step's weighted patch loss. */
        default void towerStep(int step, int steps, float loss) {}

        /**
         * Told each step's binding losses with {@link Run#bindingWeight()} or {@link Run#imageBindingWeight()} above
         * 0: the video path's and the image path's, NaN for a path without one.
         */
        default void bindingStep(int step, int steps, float video, float image) {}

        /** Told that the run continues from a checkpoint after {@code step} steps. */
        default void resumed(int step, int steps) {}
    }

    /**
     * What a run trains on and how long: the same run gives the same bundle.
     *
     * @param videos training videos 0 .. videos-1 of the dataset with this seed
     * @param towerSteps tower pre-training steps before the {@code steps} of the whole model; 0 skips it
     * @param towerFrom a bundle whose tower (of this model's configuration) to train on, frozen, instead of
     *     pre-training one; null to pre-train (or not) by {@code towerSteps}
     * @param llmHeads the LLM's query heads ({@link ShapesModelConfig#write(Path, long, Path, int)}); the demo model's
     *     are {@link ShapesModelConfig#LLM_HEADS}
     * @param bindingWeight the video path's binding loss's weight ({@link BindingLoss#videoWeight()}, read after
     *     {@link #BINDING_LAYER} LLM layers); 0 trains without it; the demo model's is {@link #BINDING_WEIGHT}
     * @param imageBindingWeight the same on the plain image path ({@link BindingLoss#imageWeight()})
     * @param captionBinding whether the video path's binding loss covers captions too, every clause's object at its
     *     verb ({@link CaptionSubjects}); needs {@code bindingWeight} above 0
     * @param captionRepeats how often each caption is in a pass over the samples, where every question but direction
     *     and count is once; the demo model's is {@link #CAPTION_REPEATS}
     * @param anyResImages whether the plain image path trains on LLaVA-NeXT's AnyRes views of each frame (the frame and
     *     its 2×2 tiles) instead of the frame alone, as the image models TS-LLaVA runs on are trained
     */
    public record Run(int videos, long seed, int towerSteps, Path towerFrom, int steps, int llmHeads,
            float bindingWeight, float imageBindingWeight, boolean captionBinding, int captionRepeats,
            boolean anyResImages) {
        public Run {
            new BindingLoss(bindingWeight, imageBindingWeight, BINDING_LAYER); // refuses bad weights before any work
            if (captionBinding && !(bindingWeight > 0)) {
                throw new IllegalArgumentException("the caption binding needs a binding weight above 0");
            }
            if (videos < 1 || steps < 1 || towerSteps < 0 || captionRepeats < 1) {
                throw new IllegalArgumentException("videos, steps and caption repeats must be at least 1 and tower "
                        + "steps at least 0, got " + videos + ", " + steps + ", " + captionRepeats + " and " + towerSteps);
            }
            // before the videos are generated, which takes minutes
            ShapesModelConfig.checkLlmHeads(llmHeads);
            if (towerFrom != null && towerSteps > 0) {
                throw new IllegalArgumentException("either pre-train the tower (" + towerSteps
                        + " steps) or take it from " + towerFrom + ", not both");
            }
        }

        public Run(int videos, long seed, int towerSteps, Path towerFrom, int steps, int llmHeads) {
            this(videos, seed, towerSteps, towerFrom, steps, llmHeads, 0f, 0f, false, 1, false);
        }

        /** The binding losses the whole model trains with. */
        BindingLoss bindingLoss() {
            return new BindingLoss(bindingWeight, imageBindingWeight, BINDING_LAYER);
        }

        /** The run as a work directory records it. */
        Map<String, Object> describe() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("videos", videos);
            out.put("seed", seed);
            out.put("towerSteps", towerSteps);
            out.put("towerFrom", towerFrom == null ? null : towerFrom.toAbsolutePath().normalize().toString());
            out.put("steps", steps);
            out.put("llmHeads", llmHeads);
            if (bindingWeight > 0) {
                out.put("bindingWeight", bindingWeight);
            }
            if (imageBindingWeight > 0) {
                out.put("imageBindingWeight", imageBindingWeight);
            }
            if (captionBinding) {
                out.put("captionBinding", true);
            }
            if (captionRepeats > 1) {
                out.put("captionRepeats", captionRepeats);
            }
            if (anyResImages) {
                out.put("anyResImages", true);
            }
            return out;
        }
    }

    /**
     * @param samples clip samples (questions and captions)
     * @param imageSamples single-frame samples of the image path
     * @param firstLoss the first batch's loss before any step
     * @param lastLoss the mean loss of the last (up to) ten steps, less noisy than the final batch's
     * @param tower the tower pre-training, null without it
     */
    public record Result(Path bundle, int steps, int samples, int imageSamples, float firstLoss, float lastLoss,
            Tower tower, long millis) {}

    /**
     * @param frames the frames it drew its batches from
     * @param lastLoss the mean weighted patch loss of the last (up to) ten steps
     */
    public record Tower(int steps, int frames, float firstLoss, float lastLoss, long millis) {
        /** Kept beside the pre-trained tower, so a resumed run reports the pre-training it did not redo. */
        private static final String FILE = "tower-pretraining.json";
        private static final ObjectMapper JSON = new ObjectMapper();

        private void writeInto(Path bundle) throws IOException {
            JSON.writeValue(bundle.resolve(FILE).toFile(), this);
        }

        private static Tower readFrom(Path bundle) throws IOException {
            return JSON.readValue(bundle.resolve(FILE).toFile(), Tower.class);
        }
    }

    private ShapesTrainer() {}

    /**
     * @param dataDir a generated dataset (see {@link ShapesDataset})
     * @param out receives the trained bundle
     */
    public static Result train(Path dataDir, Path out, long seed, int steps, Listener listener)
            throws IOException, VideoDecodeException {
        ShapesDataset data = ShapesDataset.read(dataDir);
        Run run = new Run(data.videos().size(), seed, 0, null, steps, ShapesModelConfig.LLM_HEADS);
        try (TrainingWorkDir work = TrainingWorkDir.temporary()) {
            return train(data, null, work, out, run, listener);
        }
    }

    /**
     * Generates the run's videos and trains on them, in a temporary directory removed afterwards.
     *
     * @param generated told the number of videos written so far
     */
    public static Result generateAndTrain(Run run, Path out, IntConsumer generated, Listener listener)
            throws IOException, VideoDecodeException {
        try (TrainingWorkDir work = TrainingWorkDir.temporary()) {
            return generateAndTrain(run, out, work, generated, listener);
        }
    }

    /**
     * Generates the run's videos and trains on them in {@code work}; a kept directory resumes what an earlier,
     * interrupted start of the same run left there (see {@link TrainingWorkDir}).
     *
     * @param generated told the number of videos written so far
     * @throws IllegalArgumentException when {@code work} holds another run
     */
    public static Result generateAndTrain(Run run, Path out, TrainingWorkDir work, IntConsumer generated,
            Listener listener) throws IOException, VideoDecodeException {
        work.claim(run);
        Map<String, Scene> scenes = new HashMap<>();
        for (int i = 0; i < run.videos(); i++) {
            scenes.put(ShapesWorld.videoName(i), ShapesWorld.video(run.seed(), i).scene());
        }
        Path data = work.stage("data", into -> ShapesDataset.generate(into, run.videos(), run.seed(), generated));
        return train(ShapesDataset.read(data), scenes, work, out, run, listener);
    }

    /** @param scenes the videos' scenes for the patch loss, or null to train on answers alone */
    private static Result train(ShapesDataset data, Map<String, Scene> scenes, TrainingWorkDir work, Path out,
            Run run, Listener listener) throws IOException, VideoDecodeException {
        long start = System.nanoTime();
        Path tokenizer = WordLevelTokenizerWriter.write(fresh(work, "tokenizer"), ShapesVocabulary.words());
        Path initial = ShapesModelConfig.write(fresh(work, "initial"), run.seed(), tokenizer, run.llmHeads());
        Tower tower = null;
        boolean frozenTower = run.towerFrom() != null || scenes != null && run.towerSteps() > 0;
        if (run.towerFrom() != null) {
            initial = TowerTransplant.write(initial, run.towerFrom(), fresh(work, "transplanted"), MODEL_NAME);
        } else if (frozenTower) {
            Path untrained = initial;
            initial = work.stage("tower", into -> pretrainTower(data, scenes, untrained, into, run.seed(),
                    run.towerSteps(), listener).writeInto(into));
            tower = Tower.readFrom(initial);
        }
        int steps = run.steps();
        TrainerOptions options = TrainerOptions.of(ShapesFrames.FRAMES, LEARNING_RATE).withSchedule(
                new LearningRateSchedule(LEARNING_RATE, Math.min(WARMUP_STEPS, steps), steps, FINAL_RATE_FRACTION));
        if (scenes != null) {
            options = options.withPatchLoss(PatchLabels.CLASSES, PATCH_LOSS_WEIGHT);
        }
        options = options.withBinding(run.bindingLoss());
        if (run.anyResImages()) {
            options = options.withAnyResImages();
        }
        if (frozenTower) {
            // As LLaVA trains on a pre-trained CLIP tower: what the tower has learned stays, and steps are cheaper.
            options = options.withFrozenTower();
        }
        try (LlavaMiniTrainer trainer = LlavaMiniTrainer.open(initial, options.withImagePath(IMAGE_WEIGHT))) {
            ShapesTraining.Samples samples;
            try (ShapesFrames frames = new ShapesFrames(trainer.imageSize())) {
                samples = ShapesTraining.samples(data, frames, scenes,
                        patchSide(trainer.imageSize(), trainer.patchesPerFrame()), run.seed(), run.captionBinding(),
                        run.captionRepeats());
            }
            float[] losses = run(trainer, samples, new Random(run.seed()), steps, work, listener);
            trainer.export(out, MODEL_NAME);
            return new Result(out, steps, samples.videos().size(), samples.images().size(), losses[0],
                    tailMean(losses, 10), tower, (System.nanoTime() - start) / 1_000_000);
        }
    }

    /** An empty directory of the work directory, for what every start makes again (quickly, the same each time). */
    private static Path fresh(TrainingWorkDir work, String name) throws IOException {
        Path dir = work.dir().resolve(name);
        FileTrees.delete(dir);
        return dir;
    }

    /** Pre-trains the tower of the bundle at {@code initial} and writes the bundle with it to {@code out}. */
    private static Tower pretrainTower(ShapesDataset data, Map<String, Scene> scenes, Path initial, Path out,
            long seed, int steps, Listener listener) throws VideoDecodeException {
        long start = System.nanoTime();
        LearningRateSchedule schedule = new LearningRateSchedule(TOWER_LEARNING_RATE,
                Math.min(TOWER_WARMUP_STEPS, steps), steps, FINAL_RATE_FRACTION);
        try (TowerPretrainer tower = TowerPretrainer.open(initial, PatchLabels.CLASSES, BACKGROUND_WEIGHT, schedule,
                0, 0); ShapesFrames frames = new ShapesFrames(tower.imageSize())) {
            TowerFrames lessons = new TowerFrames(data, scenes, frames,
                    patchSide(tower.imageSize(), tower.patchesPerFrame()), seed);
            float[] pixels = new float[TOWER_BATCH * tower.imageSize() * tower.imageSize() * 3];
            int[] labels = new int[TOWER_BATCH * tower.patchesPerFrame()];
            float[] losses = new float[steps];
            for (int step = 0; step < steps; step++) {
                lessons.next(TOWER_BATCH, pixels, labels);
                losses[step] = tower.step(pixels, labels);
                listener.towerStep(step + 1, steps, losses[step]);
            }
            tower.export(out, MODEL_NAME);
            return new Tower(steps, lessons.size(), losses[0], tailMean(losses, 10),
                    (System.nanoTime() - start) / 1_000_000);
        }
    }

    /**
     * Takes the steps, continuing after the work directory's last checkpoint if it has one: the batches of the steps
     * taken before are drawn again, untrained, so that the order goes on as it would have.
     */
    private static float[] run(LlavaMiniTrainer trainer, ShapesTraining.Samples samples, Random order, int steps,
            TrainingWorkDir work, Listener listener) throws IOException {
        ShuffledPasses videos = new ShuffledPasses(samples.videos(), order);
        ShuffledPasses firstLessons = samples.singleObject().isEmpty() ? videos
                : new ShuffledPasses(samples.singleObject(), order);
        ShuffledPasses images = new ShuffledPasses(samples.images(), order);
        int curriculum = Math.round(steps * CURRICULUM_FRACTION);
        float[] losses = new float[steps];
        int done = 0;
        Optional<TrainingWorkDir.Checkpoint> checkpoint = work.checkpoint();
        if (checkpoint.isPresent()) {
            done = checkpoint.get().step();
            if (done > steps) {
                throw new IllegalStateException(work.dir() + " has a checkpoint after step " + done + " of a run of "
                        + steps);
            }
            trainer.restore(checkpoint.get().variables(), done);
            System.arraycopy(checkpoint.get().losses(), 0, losses, 0, done);
            listener.resumed(done, steps);
        }
        for (int step = 0; step < steps; step++) {
            List<TrainingSample> batch = (step < curriculum ? firstLessons : videos).take(BATCH);
            batch.addAll(images.take(IMAGE_BATCH));
            if (step < done) {
                continue;
            }
            losses[step] = trainer.step(batch);
            listener.step(step + 1, steps, losses[step]);
            if (!Float.isNaN(trainer.lastBindingLoss()) || !Float.isNaN(trainer.lastImageBindingLoss())) {
                listener.bindingStep(step + 1, steps, trainer.lastBindingLoss(), trainer.lastImageBindingLoss());
            }
            if (work.due(step + 1, steps)) {
                work.checkpoint(trainer, Arrays.copyOf(losses, step + 1));
            }
        }
        return losses;
    }

    /** The side of a square tower's patches, from its input side and patches per frame. */
    private static int patchSide(int imageSize, int patches) {
        return imageSize / (int) Math.round(Math.sqrt(patches));
    }

    private static float tailMean(float[] values, int n) {
        int from = Math.max(0, values.length - n);
        double sum = 0;
        for (int i = from; i < values.length; i++) {
            sum += values[i];
        }
        return (float) (sum / (values.length - from));
    }
}

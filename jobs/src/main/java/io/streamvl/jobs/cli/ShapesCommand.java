package io.streamvl.jobs.cli;

import io.streamvl.models.tiny.ShapesModelConfig;
import io.streamvl.shapes.ShapesDataset;
import io.streamvl.shapes.train.ShapesFrames;
import io.streamvl.shapes.train.ShapesTrainer;
import io.streamvl.shapes.train.ShapesTraining;
import io.streamvl.shapes.train.TrainingWorkDir;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.IntConsumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `streamvl shapes ...`: the synthetic shapes world the demo model is trained and evaluated on. */
@Command(name = "shapes", mixinStandardHelpOptions = true, description = "The synthetic shapes world.",
        subcommands = {ShapesCommand.Generate.class, ShapesCommand.Train.class})
public final class ShapesCommand {

    @Command(name = "generate", mixinStandardHelpOptions = true,
            description = {"Write N shapes-world videos (320x240, 10 fps, H.264 MP4) with questions.jsonl and",
                    "captions.jsonl; the same seed gives the same files, and video k does not depend on N."})
    static final class Generate implements Callable<Integer> {
        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
        Path out;

        @Option(names = "--videos", required = true, paramLabel = "N", description = "Number of videos.")
        int videos;

        @Option(names = "--seed", paramLabel = "S", description = "Seed (default ${DEFAULT-VALUE}).")
        long seed = 1;

        @Override
        public Integer call() throws Exception {
            if (videos < 1) {
                throw new IllegalArgumentException("--videos must be at least 1, got " + videos);
            }
            ShapesDataset.generate(out, videos, seed, written -> {
                if (written % 50 == 0 || written == videos) {
                    System.err.printf("%d/%d videos%n", written, videos);
                }
            });
            ShapesDataset data = ShapesDataset.read(out);
            System.out.printf("wrote %d videos, %d questions, %d captions to %s%n", data.videos().size(),
                    data.questions().size(), data.captions().size(), out);
            return 0;
        }
    }

    @Command(name = "train", mixinStandardHelpOptions = true,
            description = {"Generate a shapes-world training set with the seed, pre-train the vision tower on its",
                    "frames, then train the tiny LLaVA-Mini on it (" + ShapesFrames.FRAMES + " frames at 1 fps per video, "
                            + "batches of " + ShapesTrainer.BATCH + ", Adam) and write an ordinary llava-mini bundle.",
                    "The same seed, videos and steps give the same bundle."})
    static final class Train implements Callable<Integer> {
        @Option(names = "--out", required = true, paramLabel = "BUNDLE", description = "Bundle directory to write.")
        Path out;

        @Option(names = "--seed", paramLabel = "S",
                description = "Seed of the training videos and of the initial weights (default ${DEFAULT-VALUE}).")
        long seed = ShapesTrainer.SEED;

        @Option(names = "--videos", paramLabel = "N", description = "Training videos (default ${DEFAULT-VALUE}).")
        int videos = ShapesTrainer.VIDEOS;

        @Option(names = "--tower-steps", paramLabel = "N", description = {"Steps that pre-train the vision tower alone, "
                + "on every frame of the videos, before the whole model (default ${DEFAULT-VALUE}; 0 skips it).",
                "Batches of " + ShapesTrainer.TOWER_BATCH + " frames."})
        int towerSteps = 10000;

        @Option(names = "--tower", paramLabel = "BUNDLE", description = {"Train on the vision tower of this bundle "
                + "(same tower configuration, e.g. bundles/streamvl-shapes), frozen, instead of pre-training one: "
                + "--tower-steps is then not used.", "For comparing variants of the recipe on one tower."})
        Path tower;

        @Option(names = "--steps", paramLabel = "N", description = "Training steps of the whole model (default ${DEFAULT-VALUE}).")
        int steps = ShapesTrainer.STEPS;

        @Option(names = "--llm-heads", paramLabel = "N", description = {"The LLM's query heads, of 64/N dimensions, "
                + "with N/2 key-value heads (default ${DEFAULT-VALUE}, the demo model's).",
                "Same weights and arithmetic for any N; docs/shapes-experiments.md has runs with 8."})
        int llmHeads = ShapesModelConfig.LLM_HEADS;

        @Option(names = "--binding-weight", paramLabel = "W", description = {"The binding loss's weight (default "
                + "${DEFAULT-VALUE}, the demo model's; 0 trains without it).",
                "A training-only head reads the named object's place in every frame from the LLM at the answer "
                + "(docs/models.md)."})
        float bindingWeight = ShapesTrainer.BINDING_WEIGHT;

        @Option(names = "--image-binding-weight", paramLabel = "W", description = {"The same binding loss on the plain "
                + "image path (default ${DEFAULT-VALUE}; 0 trains without it): the named object's place in the one "
                + "frame, read among its patch tokens, what TS-LLaVA runs on."})
        float imageBindingWeight = ShapesTrainer.BINDING_WEIGHT;

        @Option(names = "--caption-binding", negatable = true, defaultValue = "true", fallbackValue = "true",
                description = {"Let the binding loss cover captions too: each clause's object, read where the LLM "
                        + "predicts the clause's verb, when the binding weight is above 0 (on by default, as the demo "
                        + "model; --no-caption-binding turns it off)."})
        boolean captionBinding = true;

        @Option(names = "--caption-repeats", paramLabel = "N", description = {"Each caption N times in a pass over the "
                + "samples (default ${DEFAULT-VALUE}, the demo model's), where other questions are once and direction "
                + "and count questions " + ShapesTraining.WHOLE_CLIP_REPEATS + " times."})
        int captionRepeats = ShapesTrainer.CAPTION_REPEATS;

        @Option(names = "--anyres", description = {"Train the plain image path (what TS-LLaVA runs on) on LLaVA-NeXT's "
                + "AnyRes views of each frame, the frame and its 2x2 tiles, instead of the frame alone."})
        boolean anyRes;

        @Option(names = "--work", paramLabel = "DIR", description = {"Keep the run's videos, tower and checkpoints "
                + "in DIR (default: a temporary directory, removed afterwards).",
                "The same command run again on DIR resumes where it stopped, to the same bundle."})
        Path work;

        @Option(names = "--checkpoint-every", paramLabel = "N", description = "With --work, checkpoint every N steps "
                + "(default ${DEFAULT-VALUE}).")
        int checkpointEvery = TrainingWorkDir.CHECKPOINT_EVERY;

        @Option(names = "--log-every", paramLabel = "N", description = "Print the loss every N steps (default ${DEFAULT-VALUE}).")
        int logEvery = 50;

        @Override
        public Integer call() throws Exception {
            if (logEvery < 1) {
                throw new IllegalArgumentException("--log-every must be at least 1");
            }
            ShapesTrainer.Run run = new ShapesTrainer.Run(videos, seed, tower == null ? towerSteps : 0, tower, steps,
                    llmHeads, bindingWeight, imageBindingWeight, captionBinding && bindingWeight > 0, captionRepeats,
                    anyRes);
            IntConsumer generated = written -> {
                if (written % 50 == 0 || written == videos) {
                    System.err.printf("%d/%d videos generated%n", written, videos);
                }
            };
            ShapesTrainer.Listener listener = new ShapesTrainer.Listener() {
                @Override
                public void step(int step, int total, float loss) {
                    if (step % logEvery == 0 || step == total) {
                        System.err.printf("step %d/%d loss %.4f%n", step, total, loss);
                    }
                }

                @Override
                public void towerStep(int step, int total, float loss) {
                    if (step % logEvery == 0 || step == total) {
                        System.err.printf("tower step %d/%d patch loss %.4f%n", step, total, loss);
                    }
                }

                @Override
                public void bindingStep(int step, int total, float video, float image) {
                    if (step % logEvery == 0 || step == total) {
                        System.err.printf("step %d/%d binding loss%s%s%n", step, total,
                                Float.isNaN(video) ? "" : String.format(" video %.4f", video),
                                Float.isNaN(image) ? "" : String.format(" image %.4f", image));
                    }
                }

                @Override
                public void resumed(int step, int total) {
                    System.err.printf("resuming after step %d/%d from the checkpoint in %s%n", step, total, work);
                }
            };
            ShapesTrainer.Result r;
            if (work == null) {
                r = ShapesTrainer.generateAndTrain(run, out, generated, listener);
            } else {
                try (TrainingWorkDir kept = TrainingWorkDir.keep(work, checkpointEvery)) {
                    r = ShapesTrainer.generateAndTrain(run, out, kept, generated, listener);
                }
            }
            if (r.tower() != null) {
                System.out.printf("pre-trained the tower %d steps on %d frames in %.1f s: patch loss %.4f -> %.4f%n",
                        r.tower().steps(), r.tower().frames(), r.tower().millis() / 1000.0, r.tower().firstLoss(),
                        r.tower().lastLoss());
            }
            System.out.printf("trained %d steps on %d clip and %d single-frame samples in %.1f s: loss %.4f -> %.4f "
                    + "(mean of the last 10); bundle %s%n", r.steps(), r.samples(), r.imageSamples(), r.millis() / 1000.0,
                    r.firstLoss(), r.lastLoss(), r.bundle());
            return 0;
        }
    }
}

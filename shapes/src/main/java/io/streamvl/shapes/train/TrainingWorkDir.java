package io.streamvl.shapes.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamvl.ingest.VideoDecodeException;
import io.streamvl.models.FileTrees;
import io.streamvl.models.train.LlavaMiniTrainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a shapes training run keeps what it makes: the generated videos, the pre-trained tower and, every
 * {@code checkpointEvery} steps, a checkpoint of the whole-model training. A kept directory makes the run resumable:
 * started again on the same directory, the run skips what is done and continues from its last checkpoint, to the same
 * bundle as an uninterrupted run. A full run takes hours on a slow 2-core machine, longer than some sessions last.
 * Each stage is made in a {@code .partial} sibling and renamed when complete, so an interrupted stage is redone and a
 * finished one never is. The directory belongs to one {@link ShapesTrainer.Run} ({@value #RUN_FILE}); another run is
 * refused rather than mixed in.
 */
public final class TrainingWorkDir implements AutoCloseable {
    /** Checkpoint interval of a kept directory: a few seconds of writing per ~10 minutes of steps on 2 cores. */
    public static final int CHECKPOINT_EVERY = 500;
    static final String RUN_FILE = "run.json";
    private static final String CHECKPOINT = "checkpoint";
    private static final String VARIABLES = "variables";
    private static final String STATE_FILE = "state.json";
    private static final String PARTIAL = ".partial";
    private static final String OLD = ".old";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final int checkpointEvery;
    private final boolean temporary;

    /** The losses of the steps taken so far, step 1 first; {@code losses.length} is the checkpoint's step. */
    record Checkpoint(Path variables, float[] losses) {
        int step() {
            return losses.length;
        }
    }

    /** Makes a stage's content in the directory it is given. */
    @FunctionalInterface
    interface Stage {
        void make(Path into) throws IOException, VideoDecodeException;
    }

    private TrainingWorkDir(Path dir, int checkpointEvery, boolean temporary) {
        this.dir = dir;
        this.checkpointEvery = checkpointEvery;
        this.temporary = temporary;
    }

    /** A directory kept after the run, checkpointed every {@code checkpointEvery} steps, resumed when run again. */
    public static TrainingWorkDir keep(Path dir, int checkpointEvery) {
        if (checkpointEvery < 1) {
            throw new IllegalArgumentException("checkpoint interval must be at least 1 step, got " + checkpointEvery);
        }
        return new TrainingWorkDir(dir, checkpointEvery, false);
    }

    /** A temporary directory, removed on {@link #close}, without checkpoints. */
    static TrainingWorkDir temporary() throws IOException {
        return new TrainingWorkDir(Files.createTempDirectory("streamvl-shapes-train"), 0, true);
    }

    Path dir() {
        return dir;
    }

    /**
     * Records the run this directory is for, or checks that it is the one recorded.
     *
     * @throws IllegalArgumentException when the directory holds another run
     */
    void claim(ShapesTrainer.Run run) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(RUN_FILE);
        String wanted = JSON.writeValueAsString(run.describe());
        if (Files.exists(file)) {
            String recorded = Files.readString(file).strip();
            if (!recorded.equals(wanted)) {
                throw new IllegalArgumentException("work directory " + dir + " holds another run (" + recorded
                        + "), not " + wanted + ": give another directory, or remove this one");
            }
        } else {
            Files.writeString(file, wanted + "\n");
        }
    }

    /** The stage's directory, made first unless a finished one is there. */
    Path stage(String name, Stage stage) throws IOException, VideoDecodeException {
        Path done = dir.resolve(name);
        if (Files.isDirectory(done)) {
            return done;
        }
        Path partial = dir.resolve(name + PARTIAL);
        FileTrees.delete(partial);
        stage.make(partial);
        Files.move(partial, done);
        return done;
    }

    /** The last checkpoint, if any. */
    Optional<Checkpoint> checkpoint() throws IOException {
        for (Path candidate : new Path[] {dir.resolve(CHECKPOINT), dir.resolve(CHECKPOINT + OLD)}) {
            Path state = candidate.resolve(STATE_FILE);
            if (Files.exists(state)) {
                return Optional.of(new Checkpoint(candidate.resolve(VARIABLES),
                        JSON.readValue(state.toFile(), float[].class)));
            }
        }
        return Optional.empty();
    }

    /** Whether a checkpoint is due after {@code step} of {@code steps}: every interval and after the last step. */
    boolean due(int step, int steps) {
        return !temporary && (step % checkpointEvery == 0 || step == steps);
    }

    /** Writes the trainer's state after {@code losses.length} steps, replacing the last checkpoint only once whole. */
    void checkpoint(LlavaMiniTrainer trainer, float[] losses) throws IOException {
        Path partial = dir.resolve(CHECKPOINT + PARTIAL);
        FileTrees.delete(partial);
        Files.createDirectories(partial);
        trainer.save(partial.resolve(VARIABLES));
        // the state file last: a checkpoint directory without it is incomplete
        JSON.writeValue(partial.resolve(STATE_FILE).toFile(), losses);
        Path current = dir.resolve(CHECKPOINT);
        Path old = dir.resolve(CHECKPOINT + OLD);
        FileTrees.delete(old);
        if (Files.exists(current)) {
            Files.move(current, old);
        }
        Files.move(partial, current);
        FileTrees.delete(old);
    }

    @Override
    public void close() throws IOException {
        if (temporary) {
            FileTrees.delete(dir);
        }
    }
}

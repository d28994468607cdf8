package io.streamvl.models.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamvl.models.bundle.ModelBundle;
import io.streamvl.models.llavamini.LlavaMiniModel;
import io.streamvl.models.text.WordLevelTokenizerWriter;
import io.streamvl.models.tiny.TinyLlavaMini;
import io.streamvl.models.vision.ClipVisionConfig;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TowerPretrainerTest {
    private static final String TOWER = "model.vision_tower.vision_tower.vision_model.";
    /** Normalised RGB of each object colour; background is grey (all channels 0). */
    private static final float[][] RGB = {{1.5f, -1f, -1f}, {-1f, 1.5f, -1f}};
    private static final LearningRateSchedule RATE = LearningRateSchedule.constant(3e-3f);

    @TempDir
    static Path dir;
    private static Path initial;
    private static final ClipVisionConfig VISION = TinyLlavaMini.visionConfig();
    private static final int GRID = VISION.imageSize() / VISION.patchSize();

    @BeforeAll
    static void writeInitialBundle() {
        Path tokenizer = WordLevelTokenizerWriter.write(dir.resolve("tok"), List.of("a", "b"));
        initial = TinyLlavaMini.write(dir.resolve("initial"), 5, tokenizer);
    }

    /**
     * Frames of a grey background with one coloured patch-sized square at a random patch: its patch labelled
     * {@code 1 + colour}, every other patch background, except a neighbour of the square, ignored.
     */
    private static float[] frames(long seed, int n, int[] labels) {
        SplittableRandom random = new SplittableRandom(seed);
        int size = VISION.imageSize();
        int patch = VISION.patchSize();
        float[] pixels = new float[n * size * size * 3];
        for (int f = 0; f < n; f++) {
            int colour = random.nextInt(RGB.length);
            int at = random.nextInt(GRID * GRID);
            int row = at / GRID;
            int col = at % GRID;
            for (int y = row * patch; y < (row + 1) * patch; y++) {
                for (int x = col * patch; x < (col + 1) * patch; x++) {
                    for (int c = 0; c < 3; c++) {
                        pixels[((f * size + y) * size + x) * 3 + c] = RGB[colour][c];
                    }
                }
            }
            for (int i = 0; i < pixels.length / n; i++) {
                pixels[f * (pixels.length / n) + i] += (float) random.nextDouble(-0.2, 0.2);
            }
            int[] own = new int[GRID * GRID];
            own[at] = 1 + colour;
            own[(at + 1) % own.length] = TowerPretrainer.IGNORED;
            System.arraycopy(own, 0, labels, f * own.length, own.length);
        }
        return pixels;
    }

    @Test
    void learnsPatchClassesAndExportsOnlyTheTowerChanged() throws Exception {
        int n = 8;
        int[] heldOutLabels = new int[n * GRID * GRID];
        float[] heldOut = frames(999, n, heldOutLabels);
        Path exported;
        try (TowerPretrainer tower = TowerPretrainer.open(initial, 3, 0.2f, RATE, 2, 1)) {
            assertThat(tower.patchesPerFrame()).isEqualTo(GRID * GRID);
            float first = 0;
            float last = 0;
            for (int step = 0; step < 60; step++) {
                int[] labels = new int[n * GRID * GRID];
                float loss = tower.step(frames(step, n, labels), labels);
                first = step == 0 ? loss : first;
                last = loss;
            }
            assertThat(last).isLessThan(first / 5);
            int[] predicted = tower.predict(heldOut);
            for (int i = 0; i < predicted.length; i++) {
                if (heldOutLabels[i] != TowerPretrainer.IGNORED) {
                    assertThat(predicted[i]).as("patch %d", i).isEqualTo(heldOutLabels[i]);
                }
            }
            exported = tower.export(dir.resolve("pretrained"), "pretrained");
        }
        try (ModelBundle before = ModelBundle.open(initial); ModelBundle after = ModelBundle.open(exported)) {
            assertThat(after.weights().names()).containsExactlyInAnyOrderElementsOf(before.weights().names());
            int towerChanged = 0;
            for (String name : before.weights().names()) {
                boolean same = Arrays.equals(before.weights().floats(name), after.weights().floats(name));
                if (!name.startsWith(TOWER)) {
                    assertThat(same).as(name).isTrue();
                } else if (!same) {
                    towerChanged++;
                }
            }
            assertThat(towerChanged).isGreaterThan(5);
            assertThat(after.manifest().name()).isEqualTo("pretrained");
        }
        try (LlavaMiniModel model = LlavaMiniModel.open(exported)) {
            assertThat(model.inputSize()).isEqualTo(VISION.imageSize());
        }
    }

    @Test
    void ignoredPatchesAndBadBatchesAreHandled() {
        try (TowerPretrainer tower = TowerPretrainer.open(initial, 3, 0.2f, RATE, 2, 1)) {
            int[] labels = new int[GRID * GRID];
            float[] frame = frames(1, 1, labels);
            Arrays.fill(labels, TowerPretrainer.IGNORED);
            assertThat(tower.step(frame, labels)).as("nothing to learn from").isZero();
            assertThatThrownBy(() -> tower.step(frame, new int[GRID * GRID - 1]))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("patch labels");
            int[] outOfRange = new int[GRID * GRID];
            outOfRange[0] = 3;
            assertThatThrownBy(() -> tower.step(frame, outOfRange))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside");
            assertThatThrownBy(() -> tower.predict(new float[7]))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("frames");
        }
        assertThatThrownBy(() -> TowerPretrainer.open(initial, 1, 0.2f, RATE, 2, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

package io.streamvl.models.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamvl.models.bundle.ModelBundle;
import io.streamvl.models.text.WordLevelTokenizerWriter;
import io.streamvl.models.tiny.ShapesModelConfig;
import io.streamvl.models.tiny.TinyLlavaMini;
import io.streamvl.models.weights.TensorSource;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TowerTransplantTest {
    private static final String TOWER = "model.vision_tower.vision_tower.vision_model.";

    @TempDir
    Path dir;

    @Test
    void theOutputHasTheDonorsTowerAndEverythingElseOfTheTarget() {
        Path tokenizer = WordLevelTokenizerWriter.write(dir.resolve("tok"), List.of("a", "b"));
        Path target = TinyLlavaMini.write(dir.resolve("target"), 5, tokenizer);
        Path donor = TinyLlavaMini.write(dir.resolve("donor"), 6, tokenizer);

        Path out = TowerTransplant.write(target, donor, dir.resolve("out"), "transplanted");

        try (ModelBundle t = ModelBundle.open(target); ModelBundle d = ModelBundle.open(donor);
                ModelBundle o = ModelBundle.open(out)) {
            assertThat(o.manifest().name()).isEqualTo("transplanted");
            TensorSource outWeights = o.weights();
            assertThat(outWeights.names()).containsExactlyInAnyOrderElementsOf(t.weights().names());
            int tower = 0;
            for (String name : outWeights.names()) {
                boolean isTower = name.startsWith(TOWER);
                TensorSource expected = isTower ? d.weights() : t.weights();
                assertThat(outWeights.floats(name)).as(name).containsExactly(expected.floats(name));
                if (isTower) {
                    tower++;
                    assertThat(t.weights().floats(name)).as("seeds 5 and 6 differ in " + name)
                            .isNotEqualTo(d.weights().floats(name));
                }
            }
            assertThat(tower).isGreaterThan(10);
        }
    }

    @Test
    void aTowerOfAnotherShapeIsRefused() {
        Path tokenizer = WordLevelTokenizerWriter.write(dir.resolve("tok"), List.of("a", "b"));
        Path target = TinyLlavaMini.write(dir.resolve("target"), 5, tokenizer);
        Path donor = ShapesModelConfig.write(dir.resolve("donor"), 5, tokenizer);

        assertThatThrownBy(() -> TowerTransplant.write(target, donor, dir.resolve("out"), "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not the one");
    }
}

package io.streamvl.models.train;

import io.streamvl.models.bundle.ModelBundle;
import io.streamvl.models.vision.ClipVisionConfig;
import io.streamvl.models.vision.ClipVisionConfigs;
import io.streamvl.models.vision.ClipVisionWeights;
import io.streamvl.models.weights.InMemoryTensors;
import io.streamvl.models.weights.PrefixedTensors;
import io.streamvl.models.weights.TensorSource;
import java.nio.file.Path;

/**
 * A bundle with another bundle's vision tower: a whole-model training run then starts from a tower trained before
 * (LLaVA's way with CLIP), without pre-training one again. Only the tower moves; the rest, including the projector
 * that learns to read the tower, stays the target's.
 */
public final class TowerTransplant {
    private TowerTransplant() {}

    /**
     * Writes {@code target} to {@code out} with every tower tensor taken from {@code donor}.
     *
     * @param name the manifest's model name
     * @return {@code out}
     * @throws IllegalArgumentException when the two towers differ in configuration or tensors
     */
    public static Path write(Path target, Path donor, Path out, String name) {
        try (ModelBundle to = ModelBundle.open(target); ModelBundle from = ModelBundle.open(donor)) {
            ClipVisionConfig wanted = ClipVisionConfigs.fromHf(to.hfConfig());
            ClipVisionConfig given = ClipVisionConfigs.fromHf(from.hfConfig());
            if (!wanted.equals(given)) {
                throw new IllegalArgumentException("the tower of " + donor + " (" + given + ") is not the one "
                        + target + " has (" + wanted + ")");
            }
            TensorSource toTower = ClipVisionWeights.tower(to.weights());
            TensorSource fromTower = ClipVisionWeights.tower(from.weights());
            InMemoryTensors tower = new InMemoryTensors();
            for (String tensor : toTower.names()) {
                if (fromTower.info(tensor) == null) {
                    throw new IllegalArgumentException(donor + " has no tower tensor " + tensor);
                }
                tower.put(PrefixedTensors.storedName(toTower, tensor), fromTower.floats(tensor),
                        fromTower.info(tensor).shape());
            }
            return BundleExporter.export(to, tower, out, name);
        }
    }
}

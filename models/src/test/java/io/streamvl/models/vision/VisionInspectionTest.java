package io.streamvl.models.vision;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamvl.models.inspect.VisionInspection;
import io.streamvl.models.ModelFormatException;
import io.streamvl.models.bundle.ModelBundle;
import io.streamvl.models.llama.LlamaConfig;
import io.streamvl.models.testing.TinyClip;
import io.streamvl.models.tiny.TinyLlama;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VisionInspectionTest {
    private static final long SEED = 21;

    @Test
    void llavaBundleFeaturesMatchReferenceAndProjectToTheDecoderWidth(@TempDir Path dir) {
        ClipVisionConfig vision = TinyClip.config();
        LlamaConfig text = TinyLlama.configs().get("gqa-untied");
        TinyClip.writeLlavaBundle(dir, text, vision, SEED);
        float[] image = TinyClip.images(vision, 1, 4);
        try (ModelBundle bundle = ModelBundle.open(dir)) {
            float[] features = VisionInspection.run(bundle, image);
            float[] expected = new ReferenceClip(vision, TinyClip.tower(vision, SEED)).features(image, 0, -2);
            ClipVisionTowerTest.assertClose(expected, features);
            try (Projector projector = Projector.load(bundle, VisionOptions.defaults())) {
                float[] tokens = projector.project(features, vision.numPatches());
                ClipVisionTowerTest.assertClose(ReferenceClip.project(
                        TinyClip.projector(vision.hiddenSize(), text.hiddenSize(), SEED), features, vision.numPatches()),
                        tokens);
            }
        }
    }

    @Test
    void wrongImageSizeIsExplained(@TempDir Path dir) {
        ClipVisionConfig vision = TinyClip.config();
        TinyClip.writeLlavaBundle(dir, TinyLlama.configs().get("gqa-untied"), vision, SEED);
        try (ModelBundle bundle = ModelBundle.open(dir)) {
            ModelFormatException e = assertThrows(ModelFormatException.class,
                    () -> VisionInspection.run(bundle, new float[10]));
            assertTrue(e.getMessage().contains("28x28x3"), e.getMessage());
        }
    }
}

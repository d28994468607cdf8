package io.streamvl.models.vision;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamvl.models.ModelFormatException;
import io.streamvl.models.testing.TinyClip;
import io.streamvl.models.weights.Checkpoint;
import io.streamvl.models.weights.DType;
import io.streamvl.models.weights.InMemoryTensors;
import io.streamvl.models.weights.SafetensorsWriter;
import io.streamvl.models.weights.TensorSource;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClipVisionTowerTest {
    private static final double TOLERANCE = 1e-4;
    private static final VisionOptions OPTIONS = VisionOptions.defaults().withThreads(2, 1);

    @Test
    void penultimateLayerMatchesReference() {
        ClipVisionConfig c = TinyClip.config();
        InMemoryTensors w = TinyClip.tower(c, 7);
        float[] images = TinyClip.images(c, 2, 11);
        try (ClipVisionTower tower = ClipVisionTower.load(c, -2, w, OPTIONS)) {
            assertEquals(2, tower.layers());
            float[] out = tower.features(images, 2);
            assertEquals(2 * 16 * 32, out.length);
            ReferenceClip ref = new ReferenceClip(c, w);
            for (int f = 0; f < 2; f++) {
                assertClose(ref.features(images, f, -2), Arrays.copyOfRange(out, f * 512, (f + 1) * 512));
            }
        }
    }

    @Test
    void everySelectableLayerMatchesReference() {
        ClipVisionConfig c = TinyClip.config();
        InMemoryTensors w = TinyClip.tower(c, 3);
        float[] image = TinyClip.images(c, 1, 5);
        ReferenceClip ref = new ReferenceClip(c, w);
        for (int select : new int[] {-1, 0, 1, -4}) {
            try (ClipVisionTower tower = ClipVisionTower.load(c, select, w, OPTIONS)) {
                assertClose(ref.features(image, 0, select), tower.features(image, 1));
            }
        }
    }

    @Test
    void lastAndPenultimateLayersDiffer() {
        ClipVisionConfig c = TinyClip.config();
        InMemoryTensors w = TinyClip.tower(c, 3);
        float[] image = TinyClip.images(c, 1, 5);
        try (ClipVisionTower last = ClipVisionTower.load(c, -1, w, OPTIONS);
                ClipVisionTower penultimate = ClipVisionTower.load(c, -2, w, OPTIONS)) {
            assertEquals(3, last.layers());
            float[] a = last.features(image, 1);
            float[] b = penultimate.features(image, 1);
            double diff = 0;
            for (int i = 0; i < a.length; i++) {
                diff = Math.max(diff, Math.abs(a[i] - b[i]));
            }
            assertTrue(diff > 0.1, "the last layer should change the features, max diff " + diff);
        }
    }

    @Test
    void exactGeluTowerMatchesReference() {
        ClipVisionConfig c = TinyClip.geluConfig();
        InMemoryTensors w = TinyClip.tower(c, 9);
        float[] image = TinyClip.images(c, 1, 2);
        try (ClipVisionTower tower = ClipVisionTower.load(c, -2, w, OPTIONS)) {
            assertClose(new ReferenceClip(c, w).features(image, 0, -2), tower.features(image, 1));
        }
    }

    @Test
    void batchEqualsSingleFramesAcrossChunks() {
        ClipVisionConfig c = TinyClip.config();
        InMemoryTensors w = TinyClip.tower(c, 4);
        int n = 7;
        float[] images = TinyClip.images(c, n, 8);
        try (ClipVisionTower tower = ClipVisionTower.load(c, -2, w, OPTIONS.withMaxBatch(3))) {
            float[] batched = tower.features(images, n);
            int in = c.imageFloats();
            int per = tower.featureFloatsPerFrame();
            for (int f = 0; f < n; f++) {
                float[] single = tower.features(Arrays.copyOfRange(images, f * in, (f + 1) * in), 1);
                float[] part = Arrays.copyOfRange(batched, f * per, (f + 1) * per);
                for (int i = 0; i < per; i++) {
                    assertEquals(single[i], part[i], 1e-5, "frame " + f + " element " + i);
                }
            }
        }
    }

    @Test
    void loadsLlavaPrefixedSafetensors(@TempDir Path dir) {
        ClipVisionConfig c = TinyClip.config();
        InMemoryTensors w = TinyClip.tower(c, 12);
        InMemoryTensors stored = TinyClip.prefixed(w, "model.vision_tower.vision_tower.vision_model.");
        stored.put("model.embed_tokens.weight", new float[6], 3, 2);
        Path file = dir.resolve("model.safetensors");
        SafetensorsWriter.write(file, stored, DType.F32);
        float[] image = TinyClip.images(c, 1, 1);
        try (TensorSource source = Checkpoint.open(dir);
                ClipVisionTower tower = ClipVisionTower.load(c, -2, source, OPTIONS)) {
            assertClose(new ReferenceClip(c, w).features(image, 0, -2), tower.features(image, 1));
        }
    }

    @Test
    void findsEveryKnownPrefix() {
        ClipVisionConfig c = TinyClip.config();
        InMemoryTensors w = TinyClip.tower(c, 1);
        for (String prefix : ClipVisionWeights.PREFIXES) {
            TensorSource view = ClipVisionWeights.tower(TinyClip.prefixed(w, prefix));
            assertArrayEquals(w.floats("pre_layrnorm.bias"), view.floats("pre_layrnorm.bias"), prefix);
            assertEquals(w.names(), view.names(), prefix);
        }
    }

    @Test
    void missingAndMisshapenTensorsAreNamed() {
        ClipVisionConfig c = TinyClip.config();
        InMemoryTensors w = TinyClip.prefixed(TinyClip.tower(c, 1), "vision_model.");
        InMemoryTensors broken = new InMemoryTensors();
        for (String name : w.names()) {
            if (!name.equals("vision_model.encoder.layers.1.mlp.fc2.bias")) {
                broken.put(name, w.floats(name), w.info(name).shape());
            }
        }
        broken.put("vision_model.embeddings.position_embedding.weight", new float[16 * 32], 16, 32);
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> ClipVisionTower.load(c, -2, broken, OPTIONS));
        assertTrue(e.getMessage().contains("encoder.layers.1.mlp.fc2.bias: missing (expected [32])"), e.getMessage());
        assertTrue(e.getMessage().contains("embeddings.position_embedding.weight: shape [16, 32], expected [17, 32]"),
                e.getMessage());
    }

    @Test
    void layersAfterTheSelectedOneAreNotNeeded() {
        ClipVisionConfig c = TinyClip.config();
        InMemoryTensors w = TinyClip.tower(c, 1);
        InMemoryTensors withoutLast = new InMemoryTensors();
        w.names().stream().filter(n -> !n.startsWith("encoder.layers.2."))
                .forEach(n -> withoutLast.put(n, w.floats(n), w.info(n).shape()));
        try (ClipVisionTower tower = ClipVisionTower.load(c, -2, withoutLast, OPTIONS)) {
            assertEquals(2, tower.layers());
        }
        assertThrows(ModelFormatException.class, () -> ClipVisionTower.load(c, -1, withoutLast, OPTIONS));
    }

    @Test
    void rejectsBadInputsAndLayers() {
        ClipVisionConfig c = TinyClip.config();
        assertThrows(ModelFormatException.class, () -> ClipVisionTower.load(c, 4, TinyClip.tower(c, 1), OPTIONS));
        assertThrows(ModelFormatException.class, () -> ClipVisionTower.load(c, -5, TinyClip.tower(c, 1), OPTIONS));
        ModelFormatException none = assertThrows(ModelFormatException.class,
                () -> ClipVisionTower.load(c, -2, new InMemoryTensors().put("x", new float[1], 1), OPTIONS));
        assertTrue(none.getMessage().contains("no CLIP vision tower"), none.getMessage());
        try (ClipVisionTower tower = ClipVisionTower.load(c, -2, TinyClip.tower(c, 1), OPTIONS)) {
            assertThrows(IllegalArgumentException.class, () -> tower.features(new float[c.imageFloats() - 1], 1));
            assertThrows(IllegalArgumentException.class, () -> tower.features(new float[0], 0));
        }
    }

    @Test
    void vitLReadsTwentyThreeLayersAtThePenultimateState() {
        ClipVisionConfig c = ClipVisionConfig.vitL14x336();
        Map<String, long[]> expected = ClipVisionWeights.expected(c, c.layersFor(-2));
        assertEquals(5 + 23 * 16, expected.size());
        assertEquals(576, c.numPatches());
    }

    static void assertClose(float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length);
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
        }
        assertTrue(worst < TOLERANCE, "max abs difference " + worst);
    }
}

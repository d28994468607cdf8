package io.streamvl.models.vision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamvl.models.ModelFormatException;
import io.streamvl.models.testing.TinyClip;
import io.streamvl.models.weights.InMemoryTensors;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ProjectorTest {
    private static final VisionOptions OPTIONS = VisionOptions.defaults().withThreads(2, 1);

    @Test
    void matchesReferenceWithExactGelu() {
        InMemoryTensors w = TinyClip.projector(32, 48, 5);
        float[] x = features(10, 32);
        try (Projector p = Projector.load(w, OPTIONS)) {
            assertEquals(32, p.inputSize());
            assertEquals(48, p.outputSize());
            ClipVisionTowerTest.assertClose(ReferenceClip.project(w, x, 10), p.project(x, 10));
        }
    }

    @Test
    void readsHfAndOriginalLlavaNames() {
        InMemoryTensors w = TinyClip.projector(16, 24, 2);
        float[] x = features(3, 16);
        float[] expected = ReferenceClip.project(w, x, 3);
        InMemoryTensors original = new InMemoryTensors();
        original.put("model.mm_projector.0.weight", w.floats("linear_1.weight"), 24, 16);
        original.put("model.mm_projector.0.bias", w.floats("linear_1.bias"), 24);
        original.put("model.mm_projector.2.weight", w.floats("linear_2.weight"), 24, 24);
        original.put("model.mm_projector.2.bias", w.floats("linear_2.bias"), 24);
        for (InMemoryTensors stored : new InMemoryTensors[] {original,
                TinyClip.prefixed(w, "multi_modal_projector."), TinyClip.prefixed(w, "model.multi_modal_projector.")}) {
            try (Projector p = Projector.load(stored, OPTIONS)) {
                ClipVisionTowerTest.assertClose(expected, p.project(x, 3));
            }
        }
    }

    @Test
    void geluIsTheErfFormNotTheTanhApproximation() {
        // At x = -3 the two forms differ by ~3e-4 (erf: -0.0040497, tanh: -0.0036374).
        assertEquals(-0.0040496, ReferenceClip.gelu(-3), 1e-6);
        assertEquals(0.8413447, ReferenceClip.gelu(1), 1e-6);
        InMemoryTensors w = new InMemoryTensors()
                .put("linear_1.weight", new float[] {1}, 1, 1).put("linear_1.bias", new float[] {0}, 1)
                .put("linear_2.weight", new float[] {1}, 1, 1).put("linear_2.bias", new float[] {0}, 1);
        try (Projector p = Projector.load(w, OPTIONS)) {
            float[] y = p.project(new float[] {-3, -1, 0.5f, 2, 4}, 5);
            double[] expected = {-3, -1, 0.5, 2, 4};
            for (int i = 0; i < y.length; i++) {
                assertEquals(ReferenceClip.gelu(expected[i]), y[i], 2e-6, "x=" + expected[i]);
            }
        }
    }

    @Test
    void misshapenOrMissingTensorsAreNamed() {
        InMemoryTensors w = TinyClip.projector(16, 24, 2);
        InMemoryTensors broken = new InMemoryTensors();
        broken.put("linear_1.weight", w.floats("linear_1.weight"), 24, 16);
        broken.put("linear_1.bias", w.floats("linear_1.bias"), 24);
        broken.put("linear_2.weight", new float[24 * 16], 24, 16);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Projector.load(broken, OPTIONS));
        assertTrue(e.getMessage().contains("linear_2.weight: shape [24, 16], expected [24, 24]"), e.getMessage());
        assertTrue(e.getMessage().contains("linear_2.bias: missing (expected [24])"), e.getMessage());
        ModelFormatException none = assertThrows(ModelFormatException.class,
                () -> Projector.load(new InMemoryTensors().put("x", new float[1], 1), OPTIONS));
        assertTrue(none.getMessage().contains("no mlp2x_gelu projector"), none.getMessage());
    }

    @Test
    void otherProjectorTypesAreRejected() throws Exception {
        ObjectMapper json = new ObjectMapper();
        ProjectorWeights.checkType(json.readTree("{\"mm_projector_type\": \"mlp2x_gelu\"}"));
        ProjectorWeights.checkType(json.readTree("{\"projector_hidden_act\": \"gelu\"}"));
        assertThrows(ModelFormatException.class,
                () -> ProjectorWeights.checkType(json.readTree("{\"mm_projector_type\": \"linear\"}")));
        assertThrows(ModelFormatException.class,
                () -> ProjectorWeights.checkType(json.readTree("{\"projector_hidden_act\": \"relu\"}")));
    }

    private static float[] features(int rows, int width) {
        SplittableRandom random = new SplittableRandom(rows * 31L + width);
        float[] x = new float[rows * width];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextDouble(-3, 3);
        }
        return x;
    }
}

package io.streamvl.models.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamvl.models.vision.ClipVisionConfig;
import io.streamvl.models.vision.VisionOptions;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class VisionBenchmarkTest {
    @Test
    void tinyRunReportsRatesAndFlops() throws Exception {
        VisionBenchmarkResult r = VisionBenchmark.run("tiny", VisionOptions.defaults().withThreads(2, 1));
        JsonNode json = new ObjectMapper().readTree(r.toJson());
        for (String key : new String[] {"frames_per_s_batch1", "frames_per_s_batch16", "matmul_gflops",
                "vision_gflops_per_frame", "clip_l14_336_gflops_per_frame", "llava_mini_ms_per_frame"}) {
            assertTrue(json.get(key).asDouble() > 0, key + " in " + r.toJson());
        }
        assertEquals("tiny", json.get("config").asText());
        assertEquals(1, json.get("tokens_per_frame_llava_mini").asInt());
        assertEquals(69.12, json.get("tokens_per_frame_ts_llava").asDouble(), 1e-9);
    }

    @Test
    void vitL14x336FlopsPerFrameAsLlavaRunsIt() {
        ClipVisionConfig c = ClipVisionConfig.vitL14x336();
        // Per layer, T = 577: 8·T·d² (projections) + 4·T²·d (attention) + 4·T·d·4096 (MLP) = 15.88 GFLOP.
        double perLayer = 8.0 * 577 * 1024 * 1024 + 4.0 * 577 * 577 * 1024 + 4.0 * 577 * 1024 * 4096;
        double patches = 2.0 * 576 * 588 * 1024;
        assertEquals(patches + 23 * perLayer, c.flopsPerFrame(c.layersFor(-2)), 1);
        assertEquals(366.0, c.flopsPerFrame(23) / 1e9, 1.0);
        assertEquals(80.5, c.activationBytesPerFrame() / 1e6, 0.5);
    }
}

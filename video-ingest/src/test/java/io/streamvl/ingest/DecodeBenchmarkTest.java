package io.streamvl.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DecodeBenchmarkTest {

    @Test
    void reportsThroughputAsJson() throws Exception {
        DecodeBenchmark.BenchResult r = DecodeBenchmark.run(RealMedia.file("g1.avi"), 1,
                ModelInputSpec.clipDefaults(), 1.0);
        assertThat(r.frames()).isEqualTo(16);
        assertThat(r.decodeFps()).isPositive();
        assertThat(r.pipelineFps()).isPositive();
        assertThat(r.framesConverted()).isPositive();
        assertThat(r.toJson()).contains("\"frames\":16", "\"decode_fps\":", "\"pipeline_fps\":",
                "\"convert_ms_per_frame\":", "\"codec\":\"mpeg4\"", "\"width\":400", "\"threads\":1");
    }
}

package io.streamvl.jobs.bench.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamvl.jobs.cli.StreamvlCliTest;
import io.streamvl.jobs.testing.TestBundles;
import io.streamvl.kafka.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code streamvl bench pipeline --json} for one camera and a few seconds: it runs to its end and prints one JSON
 * object whose numbers hang together. Nothing here is about speed.
 */
class PipelineBenchmarkITCase {
    @Test
    void oneCameraForAFewSecondsPrintsOneJsonObjectWithSaneNumbers() throws Exception {
        StreamvlCliTest.Run run = StreamvlCliTest.run("bench", "pipeline", "--streams", "1", "--seconds", "3",
                "--json", "-D", "streamvl.model.bundle=" + TestBundles.shipped());
        assertThat(run.code()).as(run.err()).isZero();
        // the test's log goes to stdout too
        List<String> json = run.out().lines().filter(l -> l.startsWith("{")).toList();
        assertThat(json).hasSize(1);
        JsonNode r = Json.MAPPER.readTree(json.get(0));

        assertThat(r.path("streams").asInt()).isEqualTo(1);
        assertThat(r.path("frames_per_s").asDouble()).isPositive();
        assertThat(r.path("realtime_streams").asDouble())
                .isEqualTo(r.path("frames_per_s").asDouble() / r.path("sampling_fps").asDouble());
        assertThat(r.path("windows_measured").asInt()).isPositive();
        assertThat(r.path("captions_measured").asInt()).isEqualTo(r.path("windows_measured").asInt());
        long p50 = r.path("caption_latency_ms_p50").asLong();
        assertThat(p50).isPositive().isLessThanOrEqualTo(r.path("caption_latency_ms_p95").asLong());
        assertThat(r.path("caption_latency_ms_p95").asLong()).isLessThanOrEqualTo(r.path("caption_latency_ms_max").asLong());

        assertThat(r.path("mode").asText()).isEqualTo("llava-mini");
        double perHour = r.path("state_bytes_per_stream_hour").asDouble();
        assertThat(perHour).isPositive();
        assertThat(r.path("state_bytes_per_stream_hour_by_mode").path("llava-mini").asDouble()).isEqualTo(perHour);
        assertThat(r.path("state_bytes_per_stream_hour_by_mode").path("ts-llava").isNull()).isTrue();
        assertThat(r.path("state_note").asText()).contains("ts-llava");
        // one hour of frames at the sampling rate, each at least its JPEG: more than a byte each, less than a model
        assertThat(r.path("state_bytes_per_frame").asDouble()).isBetween(1.0, 1e6);
        assertThat(r.path("state_frames_held").asDouble()).isGreaterThanOrEqualTo(r.path("windows_measured").asInt());

        assertThat(r.path("bottleneck").asText()).isIn(List.of("decode", "vision", "pre-fusion", "generation", "kafka"));
        assertThat(r.path("stage_ms_per_s").path(r.path("bottleneck").asText()).asDouble()).isPositive();
        assertThat(r.path("tasks_ms_per_s").fieldNames()).toIterable()
                .anyMatch(t -> t.contains("live-caption")).anyMatch(t -> t.contains("decode-and-sample"));
        assertThat(r.path("cpu_ms_per_s").path("process").asDouble()).isPositive();
        assertThat(r.path("encode_batch_mean").asDouble()).isBetween(1.0, 8.0);
        assertThat(r.path("checkpoint_interval_ms").asLong()).isPositive();
    }
}

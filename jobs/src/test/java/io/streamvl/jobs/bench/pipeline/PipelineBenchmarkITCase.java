package io.streamvl.jobs.bench.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamvl.jobs.cli.StreamvlCliTest;
import io.streamvl.jobs.testing.TestBundles;
import io.streamvl.kafka.Json;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code streamvl bench pipeline --json} for one camera and a few seconds, in each caption mode: it runs to its end
 * and prints one JSON object whose numbers hang together, its profile in the stages of the mode it ran in. Nothing
 * here is about speed.
 */
class PipelineBenchmarkITCase {
    /** llava-mini by default, without {@code --mode}; ts-llava by the flag. */
    @ParameterizedTest
    @ValueSource(strings = {"llava-mini", "ts-llava"})
    void oneCameraForAFewSecondsPrintsOneJsonObjectWithSaneNumbers(String mode) throws Exception {
        boolean ts = mode.equals("ts-llava");
        List<String> args = new ArrayList<>(List.of("bench", "pipeline", "--streams", "1", "--seconds", "3",
                "--json", "-D", "streamvl.model.bundle=" + TestBundles.shipped()));
        if (ts) {
            args.addAll(List.of("--mode", mode));
        }
        StreamvlCliTest.Run run = StreamvlCliTest.run(args.toArray(String[]::new));
        assertThat(run.code()).as(run.err()).isZero();
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

        String other = ts ? "llava-mini" : "ts-llava";
        assertThat(r.path("mode").asText()).isEqualTo(mode);
        double perHour = r.path("state_bytes_per_stream_hour").asDouble();
        assertThat(perHour).isPositive();
        assertThat(r.path("state_bytes_per_stream_hour_by_mode").path(mode).asDouble()).isEqualTo(perHour);
        assertThat(r.path("state_bytes_per_stream_hour_by_mode").path(other).isNull()).isTrue();
        assertThat(r.path("state_note").asText()).contains(other);
        // one hour of frames at the sampling rate, each at least its JPEG: more than a byte each, less than a model
        assertThat(r.path("state_bytes_per_frame").asDouble()).isBetween(1.0, 1e6);
        assertThat(r.path("state_frames_held").asDouble()).isGreaterThanOrEqualTo(r.path("windows_measured").asInt());

        List<String> stages = ts ? List.of("decode", "ts-llava-vision", "generation", "video-memory", "checkpoint")
                : List.of("decode", "vision", "pre-fusion", "generation", "video-memory", "checkpoint");
        assertThat(r.path("stage_detail_ms_per_s").fieldNames()).toIterable().containsExactlyElementsOf(stages);
        assertThat(r.path("bottleneck").asText()).isIn(concat(stages, "kafka"));
        assertThat(r.path("stage_ms_per_s").path(r.path("bottleneck").asText()).asDouble()).isPositive();
        String captionTask = ts ? "ts-llava-caption" : "live-caption";
        assertThat(r.path("tasks_ms_per_s").fieldNames()).toIterable()
                .anyMatch(t -> t.contains(captionTask)).anyMatch(t -> t.contains("decode-and-sample"))
                .noneMatch(t -> t.contains(ts ? "frame-encode" : "frame-unencoded"));
        assertThat(r.path("cpu_ms_per_s").path("process").asDouble()).isPositive();
        // the vision side's calls: frame-encode's batches, or one TS-LLaVA call per window of 4 frames
        assertThat(r.path("frames_encoded_per_s").asDouble()).isPositive();
        assertThat(r.path("encode_batch_mean").asDouble()).isBetween(1.0, ts ? 4.0 : 8.0);
        assertThat(r.path("encode_ms_mean").asDouble()).isPositive();
        assertThat(r.path("checkpoint_interval_ms").asLong()).isPositive();
    }

    private static List<String> concat(List<String> stages, String more) {
        List<String> all = new ArrayList<>(stages);
        all.add(more);
        return all;
    }
}

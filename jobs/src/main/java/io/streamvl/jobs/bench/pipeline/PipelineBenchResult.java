package io.streamvl.jobs.bench.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamvl.jobs.bench.pipeline.Profile.TaskLoad;
import io.streamvl.jobs.config.StreamvlOptions;
import io.streamvl.kafka.Json;
import io.streamvl.operators.model.ModelKind;
import java.util.Map;

/**
 * What {@code streamvl bench pipeline} measured; {@link #toJson} is its output.
 *
 * @param measuredSeconds wall time between the two window completions the rates are measured between
 * @param warmupSeconds wall time from the first segment published to the start of the measurement
 * @param windowsMeasured windows completed in that time, each captioned for every stream
 * @param inFlightFrames sampled frames published but not yet captioned at most
 * @param mode the captions' mode
 * @param framesPerS sampled frames captioned per wall second, all streams
 * @param checkpointSummary Flink's checkpoint statistics of the whole run
 */
public record PipelineBenchResult(int streams, double measuredSeconds, double warmupSeconds, int windowsMeasured,
        int inFlightFrames, long windowMillis, double samplingFps, long checkpointIntervalMillis, String mode,
        double framesPerS, Latencies captionLatency, Profile profile, StateSize state, JsonNode checkpointSummary) {
    private static final double SECONDS_PER_HOUR = 3600;
    static final String TS_LLAVA = ModelKind.TS_LLAVA.mode();

    public String toJson() throws Exception {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("streams", streams);
        o.put("frames_per_s", framesPerS);
        o.put("caption_latency_ms_p50", captionLatency.p50());
        o.put("caption_latency_ms_p95", captionLatency.p95());
        o.put("caption_latency_ms_max", captionLatency.max());
        double stateBytesPerStreamHour = state.bytesPerFrame() * samplingFps * SECONDS_PER_HOUR;
        o.put("state_bytes_per_stream_hour", stateBytesPerStreamHour);
        o.put("bottleneck", profile.bottleneck());
        o.put("bottleneck_task", profile.bottleneckTask());
        ObjectNode stages = o.putObject("stage_ms_per_s");
        profile.stageMsPerS().forEach(stages::put);
        o.put("model_busy_ms_per_s", profile.modelBusyMsPerS());
        o.put("model_wait_ms_per_s", profile.modelWaitMsPerS());
        ObjectNode detail = o.putObject("stage_detail_ms_per_s");
        profile.stages().forEach((stage, load) -> {
            ObjectNode n = detail.putObject(stage);
            n.put("in_model", load.inModel());
            n.put("elsewhere", load.elsewhere());
            n.put("waiting_for_model", load.waitingForModel());
        });

        o.put("mode", mode);
        ObjectNode byMode = o.putObject("state_bytes_per_stream_hour_by_mode");
        byMode.put(mode, stateBytesPerStreamHour);
        String other = TS_LLAVA.equals(mode) ? ModelKind.LLAVA_MINI.mode() : TS_LLAVA;
        byMode.putNull(other);
        o.put("state_note", "measured in " + mode + " mode; for " + other + " run again with -D "
                + StreamvlOptions.CAPTION_MODE.key() + "=" + other);
        o.put("state_bytes_per_frame", state.bytesPerFrame());
        o.put("state_frames_held", state.framesHeld());
        o.put("caption_window_state_bytes_per_stream", state.captionWindowBytes() / streams);
        o.put("checkpoint_state_bytes", state.totalBytes());

        o.put("realtime_streams", framesPerS / samplingFps);
        o.put("captions_measured", captionLatency.count());
        o.put("windows_measured", windowsMeasured);
        o.put("measured_seconds", measuredSeconds);
        o.put("warmup_seconds", warmupSeconds);
        o.put("in_flight_frames", inFlightFrames);
        o.put("window_ms", windowMillis);
        o.put("sampling_fps", samplingFps);
        o.put("checkpoint_interval_ms", checkpointIntervalMillis);
        o.put("checkpoint_duration_ms_mean", checkpointSummary.path("end_to_end_duration").path("avg").asDouble());
        o.put("checkpoint_duration_ms_max", checkpointSummary.path("end_to_end_duration").path("max").asDouble());

        o.put("frames_encoded_per_s", profile.framesEncodedPerS());
        o.put("tokens_per_s", profile.tokensPerS());
        o.put("caption_tokens_mean", profile.tokensPerText());
        o.put("encode_batch_mean", profile.vision().itemsPerCall());
        o.put("encode_ms_mean", profile.vision().millisPerCall());
        o.put("generate_batch_mean", profile.generation().itemsPerCall());
        o.put("generate_ms_mean", profile.generation().millisPerCall());

        ObjectNode tasks = o.putObject("tasks_ms_per_s");
        for (TaskLoad t : profile.tasks()) {
            ObjectNode n = tasks.putObject(t.task());
            n.put("subtasks", t.subtasks());
            n.put("busy", t.busy());
            n.put("backpressured", t.backpressured());
            n.put("idle", t.idle());
        }
        ObjectNode cpu = o.putObject("cpu_ms_per_s");
        for (Map.Entry<String, Double> e : profile.cpuMsPerS().entrySet()) {
            cpu.put(e.getKey(), e.getValue());
        }
        return Json.MAPPER.writeValueAsString(o);
    }
}

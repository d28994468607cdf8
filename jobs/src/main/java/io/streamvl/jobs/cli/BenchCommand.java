package io.streamvl.jobs.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamvl.ingest.DecodeBenchmark;
import io.streamvl.jobs.bench.FfmpegCliBaseline;
import io.streamvl.jobs.bench.pipeline.PipelineBenchmark;
import io.streamvl.jobs.config.ModelBundlePath;
import io.streamvl.jobs.config.StreamvlConfig;
import io.streamvl.jobs.config.StreamvlOptions;
import io.streamvl.kafka.Json;
import io.streamvl.models.llama.LlmBenchmark;
import io.streamvl.models.inspect.VisionBenchmark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.util.FileUtils;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** `streamvl bench ...`: benchmarks that print machine-readable results beside a baseline. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks.",
        subcommands = {BenchCommand.Decode.class, BenchCommand.Llm.class, BenchCommand.Vision.class,
                BenchCommand.Pipeline.class})
public final class BenchCommand {

    @Command(name = "decode", mixinStandardHelpOptions = true,
            description = {"Decode a video (a) alone and (b) with sampling + conversion to model input,",
                    "beside the ffmpeg CLI decoding the same file in the same run (when ffmpeg is on the PATH)."})
    static final class Decode implements Callable<Integer> {
        @Mixin
        ConfigMixin config;

        @Option(names = "--input", required = true, paramLabel = "FILE", description = "Video file.")
        Path input;

        @Option(names = "--threads", paramLabel = "N", description = "Decoder threads, ours and ffmpeg's (default 1).")
        int threads = 1;

        @Option(names = "--json", description = "Print one JSON object instead of a table.")
        boolean json;

        @Option(names = "--no-baseline", description = "Skip the ffmpeg CLI baseline.")
        boolean noBaseline;

        @Override
        public Integer call() throws Exception {
            Configuration conf = config.load();
            if (!Files.isReadable(input)) {
                throw new IllegalArgumentException("cannot read input " + input);
            }
            DecodeBenchmark.BenchResult ours = DecodeBenchmark.run(input, threads, StreamvlConfig.modelInput(conf, StreamvlConfig.REFERENCE_INPUT_SIZE),
                    conf.get(StreamvlOptions.SAMPLING_FPS));
            FfmpegCliBaseline.Result cli = noBaseline ? null : FfmpegCliBaseline.run(input, threads);
            ObjectNode out = (ObjectNode) Json.MAPPER.readTree(ours.toJson());
            if (cli != null) {
                out.put("ffmpeg_cli_version", cli.version());
                out.put("ffmpeg_cli_frames", cli.frames());
                out.put("ffmpeg_cli_fps", cli.fps());
                out.put("ffmpeg_cli_seconds", cli.seconds());
                out.put("ffmpeg_cli_wall_seconds", cli.wallSeconds());
                out.put("decode_vs_ffmpeg_cli", ours.decodeFps() / cli.fps());
            } else {
                out.putNull("ffmpeg_cli_fps");
            }
            print(Json.MAPPER.writeValueAsString(out), json);
            return 0;
        }
    }

    /** Prints a benchmark's JSON: as one line with {@code --json}, indented otherwise. */
    static void print(String json, boolean compact) throws Exception {
        System.out.println(compact ? json
                : Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(Json.MAPPER.readTree(json)));
    }

    /** A model benchmark on random weights of a named size. */
    abstract static class ModelBench implements Callable<Integer> {
        @Option(names = "--config", paramLabel = "tiny|small", description = "Model size (default ${DEFAULT-VALUE}).")
        String size = "small";

        @Mixin
        ModelOptionsMixin model;

        @Option(names = "--json", description = "Print one JSON object.")
        boolean json;

        abstract String run() throws Exception;

        @Override
        public Integer call() throws Exception {
            print(run(), json);
            return 0;
        }
    }

    @Command(name = "llm", mixinStandardHelpOptions = true,
            description = {"Language-model decoder throughput on random weights: prefill, decode at context 128",
                    "and 2048, batch 1 and 8, beside plain TF matmuls of the same sizes in the same run."})
    static final class Llm extends ModelBench {
        @Override
        String run() throws Exception {
            return LlmBenchmark.run(size, model.decoderOptions()).toJson();
        }
    }

    @Command(name = "vision", mixinStandardHelpOptions = true,
            description = {"CLIP vision tower throughput on random weights at batch 1 and 16, beside a plain TF matmul",
                    "in the same run; LLaVA-Mini's per-frame encoding; FLOPs per frame of the real CLIP ViT-L/14-336."})
    static final class Vision extends ModelBench {
        @Override
        String run() throws Exception {
            return VisionBenchmark.run(size, model.visionOptions()).toJson();
        }
    }

    @Command(name = "pipeline", mixinStandardHelpOptions = true,
            description = {"The whole pipeline as the demo runs it (embedded Kafka and Flink, RocksDB,",
                    "checkpoints, exactly-once sinks, the demo model) with N shapes-world cameras",
                    "published as fast as it captions them: sampled frames/s, caption latency",
                    "p50/p95 from when a window could close to its committed caption, state",
                    "bytes per stream-hour, and a profile naming the bottleneck."})
    static final class Pipeline implements Callable<Integer> {
        @Mixin
        ConfigMixin config;

        @Option(names = "--streams", required = true, paramLabel = "N", description = "Cameras.")
        int streams;

        @Option(names = "--seconds", paramLabel = "S",
                description = "Wall time measured after warm-up (default ${DEFAULT-VALUE}).")
        int seconds = 60;

        @Option(names = "--in-flight-frames", paramLabel = "F",
                description = {"Sampled frames published but not yet captioned that the cameras aim",
                        "for, in whole windows (at least two). More raises frames/s until the",
                        "slowest stage is saturated, then only adds latency (default ${DEFAULT-VALUE})."})
        int inFlightFrames = PipelineBenchmark.Options.DEFAULT_IN_FLIGHT_FRAMES;

        @Option(names = "--mode", paramLabel = "MODE",
                description = {"Caption mode: llava-mini or ts-llava (sets streamvl.caption.mode;",
                        "default: the configuration's, llava-mini unless set)."})
        String mode;

        @Option(names = "--json", description = "Print one JSON object on one line.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            if (mode != null) {
                config.overrides.put(StreamvlOptions.CAPTION_MODE.key(), mode);
            }
            Configuration user = config.load();
            // before anything starts: the run needs the model
            ModelBundlePath.existing(user);
            PipelineBenchmark.Options options = new PipelineBenchmark.Options(streams, Duration.ofSeconds(seconds),
                    inFlightFrames);
            Path work = Files.createTempDirectory("streamvl-bench-pipeline-");
            try {
                print(PipelineBenchmark.run(user, options, work).toJson(), json);
            } finally {
                FileUtils.deleteDirectory(work.toFile());
            }
            return 0;
        }
    }
}

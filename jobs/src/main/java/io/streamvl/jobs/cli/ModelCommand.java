package io.streamvl.jobs.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.streamvl.jobs.config.StreamvlConfig;
import io.streamvl.kafka.Json;
import io.streamvl.models.bundle.Architecture;
import io.streamvl.models.bundle.BundleInfo;
import io.streamvl.models.bundle.ModelBundle;
import io.streamvl.models.llama.DeviceComparison;
import io.streamvl.models.llama.LlamaConfig;
import io.streamvl.models.llama.LlamaModel;
import io.streamvl.models.tiny.TinyLlama;
import io.streamvl.models.vision.ClipVisionConfig;
import io.streamvl.models.vision.ClipVisionConfigs;
import io.streamvl.models.inspect.VisionInspection;
import io.streamvl.models.weights.DType;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** `streamvl model ...`: look inside a model bundle, so it can be checked against another implementation. */
@Command(name = "model", mixinStandardHelpOptions = true, description = "Inspect model bundles.",
        subcommands = {ModelCommand.Info.class, ModelCommand.Logits.class, ModelCommand.Vision.class, ModelCommand.WriteTiny.class,
                ModelCommand.DeviceCheck.class})
public final class ModelCommand {

    @Command(name = "info", mixinStandardHelpOptions = true,
            description = "Architecture, sizes, dtypes and parameter count of a bundle (reads headers only).")
    static final class Info implements Callable<Integer> {
        @Option(names = "--bundle", required = true, paramLabel = "DIR", description = "Model bundle directory.")
        Path bundle;

        @Option(names = "--json", description = "Print JSON instead of text.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            try (ModelBundle b = ModelBundle.open(bundle)) {
                BundleInfo info = BundleInfo.of(b);
                System.out.println(json ? Json.MAPPER.writeValueAsString(info.toJson()) : info.toString());
            }
            return 0;
        }
    }

    @Command(name = "logits", mixinStandardHelpOptions = true,
            description = {"Run the decoder on token ids and print the logits at the last position",
                    "(JSON: {\"ids\": [...], \"logits\": [...]})."})
    static final class Logits implements Callable<Integer> {
        @Mixin
        ConfigMixin config;

        @Option(names = "--bundle", required = true, paramLabel = "DIR", description = "Model bundle directory.")
        Path bundle;

        @Option(names = "--ids", required = true, split = ",", paramLabel = "ID,ID,...", description = "Token ids.")
        int[] ids;

        @Option(names = "--json", description = "Print one JSON object instead of a summary.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            var options = StreamvlConfig.modelOptions(config.load()).withMaxBatch(1);
            try (ModelBundle b = ModelBundle.open(bundle);
                    LlamaModel model = LlamaModel.load(b.llamaConfig(), b.languageModelWeights(),
                            options.withMaxCacheLength(Math.max(ids.length, 1)))) {
                float[] logits = model.lastLogits(ids);
                if (json) {
                    var out = Json.MAPPER.createObjectNode();
                    out.putPOJO("ids", ids);
                    addAll(out.putArray("logits"), logits);
                    System.out.println(Json.MAPPER.writeValueAsString(out));
                } else {
                    int best = 0;
                    for (int i = 1; i < logits.length; i++) {
                        best = logits[i] > logits[best] ? i : best;
                    }
                    System.out.printf("ids %s -> %d logits; argmax %d (%.6f); first: %s%n", Arrays.toString(ids),
                            logits.length, best, logits[best],
                            Arrays.toString(Arrays.copyOf(logits, Math.min(8, logits.length))));
                }
            }
            return 0;
        }
    }

    @Command(name = "device-check", mixinStandardHelpOptions = true,
            description = {"Run the same random-weight decoder on CPU and GPU: logit agreement, greedy tokens,",
                    "ms per token on each (needs a GPU build: mvn -Pgpu; see scripts/gpu-check.sh)."})
    static final class DeviceCheck implements Callable<Integer> {
        @Option(names = "--size", paramLabel = "tiny|small", description = "Decoder size (default ${DEFAULT-VALUE}).")
        String size = "small";

        @Mixin
        ModelOptionsMixin model;

        @Override
        public Integer call() throws Exception {
            var result = DeviceComparison.run(size, model.decoderOptions());
            System.out.println(result.toJson());
            return result.tokensDiffering() == 0 && result.maxAbsLogitDiff() < 1e-2 ? 0 : 2;
        }
    }

    @Command(name = "write-tiny", mixinStandardHelpOptions = true,
            description = {"Write a tiny LLaMA bundle with seeded random weights (config.json, model.safetensors,",
                    "streamvl-model.json), e.g. to compare our logits with another implementation on the same files."})
    static final class WriteTiny implements Callable<Integer> {
        @Option(names = "--config", required = true, paramLabel = "NAME",
                description = "One of: gqa-untied, mha-tied, gqa-llama3, mha-tied-llama3-wide-heads.")
        String name;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory to write.")
        Path out;

        @Option(names = "--seed", paramLabel = "N", description = "Weight seed (default ${DEFAULT-VALUE}).")
        long seed = 7;

        @Option(names = "--dtype", paramLabel = "F32|BF16|F16", description = "Stored dtype (default ${DEFAULT-VALUE}).")
        DType dtype = DType.F32;

        @Override
        public Integer call() {
            LlamaConfig config = TinyLlama.configs().get(name);
            if (config == null) {
                throw new IllegalArgumentException("unknown tiny config " + name + "; known: " + TinyLlama.configs().keySet());
            }
            TinyLlama.write(out, config, seed, dtype);
            System.out.println("wrote " + name + " (" + dtype + ", seed " + seed + ") to " + out);
            return 0;
        }
    }

    @Command(name = "vision", mixinStandardHelpOptions = true,
            description = {"Run a bundle's vision tower on an image file (decoded by FFmpeg, squash-resized to the",
                    "tower's size, CLIP-normalised) and print the selected-layer patch features, CLS dropped",
                    "(JSON: {\"features\": [...], \"shape\": [patches, width]})."})
    static final class Vision implements Callable<Integer> {
        @Mixin
        ModelOptionsMixin model;

        @Option(names = "--bundle", required = true, paramLabel = "DIR", description = "Model bundle with a vision tower.")
        Path bundle;

        @Option(names = "--image", required = true, paramLabel = "FILE", description = "Image (or video: its first frame).")
        Path image;

        @Option(names = "--json", description = "Print one JSON object instead of a summary.")
        boolean json;

        @Option(names = "--pixels", description = {"With --json, also print the normalised pixels the tower saw",
                "(\"pixels\", HWC), so another implementation can be run on exactly the same input."})
        boolean pixels;

        @Override
        public Integer call() throws Exception {
            try (ModelBundle b = ModelBundle.open(bundle)) {
                ClipVisionConfig vision = ClipVisionConfigs.fromHf(b.hfConfig());
                float[] input = ImageInput.read(image, vision.imageSize());
                float[] features = VisionInspection.run(b, input, model.visionOptions());
                float[] compressed = b.architecture() == Architecture.LLAVA_MINI
                        ? VisionInspection.compressed(b, input, model.visionOptions()) : null;
                int width = features.length / vision.numPatches();
                if (json) {
                    var out = Json.MAPPER.createObjectNode();
                    out.putArray("shape").add(vision.numPatches()).add(width);
                    addAll(out.putArray("features"), features);
                    if (compressed != null) {
                        addAll(out.putArray("compressed"), compressed);
                    }
                    if (pixels) {
                        addAll(out.putArray("pixels"), input);
                    }
                    System.out.println(Json.MAPPER.writeValueAsString(out));
                } else {
                    System.out.printf("%s: %d patches x %d features; first: %s%n", image, vision.numPatches(), width,
                            Arrays.toString(Arrays.copyOf(features, Math.min(8, features.length))));
                }
            }
            return 0;
        }
    }

    private static void addAll(ArrayNode array, float[] values) {
        for (float v : values) {
            array.add(v);
        }
    }
}

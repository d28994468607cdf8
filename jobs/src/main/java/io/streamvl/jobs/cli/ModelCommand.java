package io.streamvl.jobs.cli;

import io.streamvl.jobs.config.StreamvlConfig;
import io.streamvl.kafka.Json;
import io.streamvl.models.bundle.BundleInfo;
import io.streamvl.models.bundle.ModelBundle;
import io.streamvl.models.llama.LlamaModel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** `streamvl model ...`: look inside a model bundle, so it can be checked against another implementation. */
@Command(name = "model", mixinStandardHelpOptions = true, description = "Inspect model bundles.",
        subcommands = {ModelCommand.Info.class, ModelCommand.Logits.class})
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
                    var arr = out.putArray("logits");
                    for (float v : logits) {
                        arr.add(v);
                    }
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
}

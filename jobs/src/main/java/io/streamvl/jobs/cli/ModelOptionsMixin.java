package io.streamvl.jobs.cli;

import io.streamvl.jobs.config.StreamvlConfig;
import io.streamvl.models.llama.DecoderOptions;
import io.streamvl.models.vision.VisionOptions;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * {@code -D} overrides for commands that only run a model, whose {@code --config} names a model size
 * (as documented for {@code bench llm}) rather than a config file.
 */
public class ModelOptionsMixin {
    @Option(names = "-D", paramLabel = "KEY=VALUE", description = "Set a config key, e.g. -D streamvl.model.threads=1.")
    Map<String, String> overrides = new LinkedHashMap<>();

    DecoderOptions decoderOptions() throws Exception {
        return StreamvlConfig.modelOptions(StreamvlConfig.load(null, overrides));
    }

    VisionOptions visionOptions() throws Exception {
        return StreamvlConfig.visionOptions(StreamvlConfig.load(null, overrides));
    }
}
